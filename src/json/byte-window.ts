// The pieces of a streamed body that a record may still need: both JSON
// cutters (pass 1's checking one and pass 2's byte walk) keep the chunks from
// the current record's start on, cut a record's bytes out of them, and let go
// of what lies wholly before it.

/** `input` without the UTF-8 byte-order mark a text may begin with, when it is the text's first bytes (`first`). */
export function afterBom(input: Buffer, first: boolean): Buffer {
  return first && input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf ? input.subarray(3) : input;
}

export interface WindowChunk {
  /** Offset of its first byte in the text. */
  readonly start: number;
  readonly bytes: Buffer;
}

export class ByteWindow<C extends WindowChunk> {
  private chunks: C[] = [];

  /** `keepLast`: the last chunk stays even when wholly before (its line and column place what comes next). */
  constructor(private readonly keepLast: boolean) {}

  push(chunk: C): void {
    this.chunks.push(chunk);
  }

  /** The chunks held, oldest first. */
  get held(): readonly C[] {
    return this.chunks;
  }

  /** Bytes `from` to `to` (offsets in the text), one Buffer without copying when one chunk holds them. */
  slice(from: number, to: number): Buffer {
    const parts: Buffer[] = [];
    for (const c of this.chunks) {
      const a = Math.max(from, c.start);
      const b = Math.min(to, c.start + c.bytes.length);
      if (a < b) parts.push(c.bytes.subarray(a - c.start, b - c.start));
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  /** Lets go of the chunks wholly before `before`. */
  forget(before: number): void {
    const keep = this.keepLast ? 1 : 0;
    let drop = 0;
    while (drop < this.chunks.length - keep) {
      const c = this.chunks[drop] as C;
      if (c.start + c.bytes.length > before) break;
      drop++;
    }
    if (drop > 0) this.chunks = this.chunks.slice(drop);
  }
}
