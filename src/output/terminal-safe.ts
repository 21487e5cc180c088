// Colour sequences; C0 and C1 controls but newline and tab; and the invisible characters that
// reorder or hide text (bidi embeddings, overrides and isolates, marks, zero-width space, BOM):
// a name holding U+202E shows its letters backwards, one holding U+200B looks like another.
// The joiners (U+200C, U+200D) stay: scripts and emoji need them.
// Also U+061C (Arabic letter mark), the line and paragraph separators and the soft hyphen.
// eslint-disable-next-line no-control-regex
const UNSAFE = /\u001b\[[0-9;]*m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * A colour sequence kept with `keepColor`: only the ones tenantctl's own styling writes
 * (reset, bold, dim, normal intensity, foreground colours and default). A name holding
 * ESC [8m (conceal) or black on black would hide what follows it.
 */
const KEPT_SGR = /^\u001b\[(?:(?:0|1|2|22|39|3[0-7]|9[0-7])(?:;(?:0|1|2|22|39|3[0-7]|9[0-7]))*)?m$/;

/** A control or invisible character as text: `\x1b`, `\u202e`. */
export const shownControl = (c: string): string => {
  const code = c.charCodeAt(0);
  return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
};

/**
 * A value from the database or the command line inside one line of human output (a table cell,
 * a `key: value` line): its line breaks shown as `\n`, `\r`, so that a tenant name or a reason
 * cannot forge a line of its own ("FAKE LINE: resumed by admin").
 */
export const shownLineBreaks = (text: string): string => text.replace(/\r\n|\n|\r/g, (m) => (m === '\n' ? '\\n' : m === '\r' ? '\\r' : '\\r\\n'));

/**
 * Text for a terminal: the control characters in it shown as `\x1b`, `\x07`, … instead of
 * acted on, so that a tenant name (or anything else from the database or the command line)
 * cannot set the window title, move the cursor or clear the screen (ESC ] … BEL, ESC [ H).
 * Newlines and tabs stay. With `keepColor`, colour sequences (ESC [ … m, which our own
 * styling writes) stay too: at worst a name is coloured; without it, they are shown as well.
 */
export function terminalSafe(text: string, keepColor: boolean): string {
  return text.replace(UNSAFE, (match) => (match.length > 1 ? (keepColor && KEPT_SGR.test(match) ? match : shownControl(match[0]!) + match.slice(1)) : shownControl(match)));
}
