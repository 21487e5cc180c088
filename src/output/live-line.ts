/**
 * The progress line drawn on each stream now, if any (output/progress.ts). A message written to
 * that stream clears it first (emit.ts writeErr): else "SIGINT received…" would be glued to
 * the end of "migrate up: tenants 340/1,000 …". The progress line is drawn again at its next update.
 */
const live = new Map<NodeJS.WritableStream, () => void>();

/** `clear` erases the line and forgets it; none: the stream has no live line any more. */
export function setLiveLine(stream: NodeJS.WritableStream, clear?: () => void): void {
  if (clear) live.set(stream, clear);
  else live.delete(stream);
}

/** Erase the live line of `stream`, if there is one. */
export function clearLiveLine(stream: NodeJS.WritableStream): void {
  const clear = live.get(stream);
  live.delete(stream);
  clear?.();
}
