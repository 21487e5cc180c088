import type { Io } from '../context.js';

const codes = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;
type Style = keyof typeof codes;

/** ANSI styling that disappears when colour is off (NO_COLOR, not a TTY, TERM=dumb). */
export function style(io: Pick<Io, 'color'>, name: Style, text: string): string {
  if (!io.color) return text;
  const [open, close] = codes[name];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}
