import type { Io } from '../context.js';

/** A live progress line on stderr, only on a TTY; silent otherwise (cron, CI, pipes). */
export interface Progress {
  update(done: number, extra?: string): void;
  done(): void;
}

/**
 * `label 340/1000 · 2 failed · 850/s` redrawn in place, at most ten times a second so that
 * drawing never costs more than the work it reports.
 */
export function progress(io: Io, label: string, total?: number): Progress {
  if (!io.stderrIsTTY) return { update: () => undefined, done: () => undefined };
  const started = Date.now();
  let lastDraw = 0;
  let last = '';
  const draw = (done: number, extra?: string, force = false): void => {
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const seconds = Math.max((now - started) / 1000, 0.001);
    const rate = Math.round(done / seconds);
    const count = total === undefined ? `${done}` : `${done}/${total}`;
    const pct = total ? ` (${Math.floor((done / total) * 100)}%)` : '';
    last = `${label} ${count}${pct} · ${rate}/s${extra ? ` · ${extra}` : ''}`;
    io.stderr.write(`\r\u001b[2K${last}`);
  };
  return {
    update: (done, extra) => draw(done, extra),
    done: () => {
      if (last) io.stderr.write('\r\u001b[2K');
    },
  };
}
