import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../src/context.js';
import { writeErr } from '../../src/output/emit.js';
import { progress, progressLine } from '../../src/output/progress.js';

/** A terminal (or not) on stderr and a clock the test moves. */
function fakeIo(tty: boolean, env: Record<string, string> = {}) {
  let now = Date.parse('2026-01-01T00:00:00Z');
  let written = '';
  const stderr = new PassThrough();
  stderr.on('data', (c: Buffer) => (written += c.toString()));
  const io = { stdout: new PassThrough(), stderr, stdin: new PassThrough(), env, interactive: false, stderrIsTTY: tty, color: false, now: () => new Date(now), cwd: '/' } as unknown as Io;
  return { io, tick: (ms: number) => (now += ms), lines: () => written.split('\r\u001b[2K').filter(Boolean), written: () => written };
}

describe('progress', () => {
  it('shows count, percentage, rate and ETA from a known total on a terminal', () => {
    const { io, tick, lines } = fakeIo(true);
    const bar = progress(io, 'migrate up: tenants', 1000);
    bar.update(0);
    tick(4000);
    bar.update(250, '1 failed');
    expect(lines()).toEqual(['migrate up: tenants 0/1,000 (0%)', 'migrate up: tenants 250/1,000 (25%) · 63/s · ETA 12.0 s · 1 failed']);
  });

  it('shows bytes and a byte rate, with the ETA from bytes when the size is known (rows vary in length)', () => {
    const { io, tick, lines } = fakeIo(true);
    const bar = progress(io, 'import products: rows');
    tick(2000);
    bar.measure({ done: 50_000, bytes: 8 * 1048576, totalBytes: 32 * 1048576 });
    expect(lines().at(-1)).toBe('import products: rows 50,000 (25%) · 8.0 MB/32 MB · 25,000/s · 4.0 MB/s · ETA 6.0 s');
  });

  it('takes a total learned during the work (backup chunks)', () => {
    const { io, tick, lines } = fakeIo(true);
    const bar = progress(io, 'backup verify: chunks restored');
    tick(60_000);
    bar.measure({ done: 3, total: 12 });
    expect(lines().at(-1)).toBe('backup verify: chunks restored 3/12 (25%) · 0/s · ETA 3 min 0 s');
  });

  it('redraws at most ten times a second and clears its line at the end', () => {
    const { io, tick, lines } = fakeIo(true);
    const bar = progress(io, 'x', 100);
    bar.update(1);
    bar.update(2);
    tick(150);
    bar.update(3);
    bar.done();
    expect(lines()).toEqual(['x 1/100 (1%)', 'x 3/100 (3%)']);
  });

  it('on a dumb terminal (TERM=dumb) writes no escape sequence: each line is padded over the last with spaces, and blanked at the end', () => {
    const { io, tick, written } = fakeIo(true, { TERM: 'dumb' });
    const bar = progress(io, 'x', 1000);
    bar.update(100);
    tick(150);
    bar.update(9);
    bar.done();
    expect(written()).not.toContain('\u001b');
    expect(written()).toBe('\rx 100/1,000 (10%)\r' + ' '.repeat(17) + '\rx 9/1,000 (0%)\r' + ' '.repeat(14) + '\r');
  });

  it('a message written meanwhile (SIGINT received …) clears the line first instead of being glued to it', () => {
    const { io, written } = fakeIo(true);
    const bar = progress(io, 'x', 10);
    bar.update(3);
    writeErr(io, 'SIGINT received: stopping');
    expect(written()).toBe('\r\u001b[2Kx 3/10 (30%)\r\u001b[2KSIGINT received: stopping\n');
    bar.done(); // the line was cleared already: nothing more to erase
    expect(written()).toBe('\r\u001b[2Kx 3/10 (30%)\r\u001b[2KSIGINT received: stopping\n');
  });

  it('prints nothing at all when stderr is not a terminal (cron, CI, pipes)', () => {
    const { io, tick, lines } = fakeIo(false);
    const bar = progress(io, 'x', 10);
    tick(1000);
    bar.update(5);
    bar.measure({ done: 6, bytes: 100 });
    bar.done();
    expect(lines()).toEqual([]);
  });

  it('gives no rate or ETA in the first half second, when they would be noise', () => {
    expect(progressLine('x', { done: 10, total: 100 }, 100)).toBe('x 10/100 (10%)');
  });
});
