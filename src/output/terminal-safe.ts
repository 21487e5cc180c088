// eslint-disable-next-line no-control-regex
const UNSAFE = /\u001b\[[0-9;]*m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A control character as text: `\x1b`. */
export const shownControl = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/**
 * Text for a terminal: the control characters in it shown as `\x1b`, `\x07`, … instead of
 * acted on, so that a tenant name (or anything else from the database or the command line)
 * cannot set the window title, move the cursor or clear the screen (ESC ] … BEL, ESC [ H).
 * Newlines and tabs stay. With `keepColor`, colour sequences (ESC [ … m, which our own
 * styling writes) stay too: at worst a name is coloured; without it, they are shown as well.
 */
export function terminalSafe(text: string, keepColor: boolean): string {
  return text.replace(UNSAFE, (match) => (match.length > 1 ? (keepColor ? match : shownControl(match[0]!) + match.slice(1)) : shownControl(match)));
}
