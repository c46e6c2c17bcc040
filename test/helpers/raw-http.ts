// HTTP over a bare socket, for what fetch cannot do: send a request a byte at
// a time, pipeline a second request behind a first, see exactly what comes
// back and when the server closes the connection.
import net from 'node:net';

export interface RawConnection {
  readonly socket: net.Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves when the server has closed the connection (or it was reset). */
  readonly closed: Promise<void>;
  write(text: string): Promise<void>;
  /** Writes `text` one byte every `everyMs` until it is written or the connection closes; resolves with the bytes written. */
  dribble(text: string, everyMs: number): Promise<number>;
}

export async function connect(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  let data = '';
  socket.on('data', (chunk: Buffer) => { data += chunk.toString('latin1'); });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  let isClosed = false;
  void closed.then(() => { isClosed = true; });
  return {
    socket,
    received: () => data,
    closed,
    write: (text) => new Promise((resolve) => socket.write(text, () => resolve())),
    async dribble(text, everyMs) {
      let sent = 0;
      for (; sent < text.length && !isClosed; sent++) {
        socket.write(text.charAt(sent));
        await new Promise((resolve) => setTimeout(resolve, everyMs));
      }
      return sent;
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
}

/** The status line and headers of every response in `text` (bodies skipped by their Content-Length). */
export function responsesIn(text: string): RawResponse[] {
  const out: RawResponse[] = [];
  let at = 0;
  for (;;) {
    const start = text.indexOf('HTTP/1.1 ', at);
    const end = start < 0 ? -1 : text.indexOf('\r\n\r\n', start);
    if (end < 0) return out;
    const [statusLine, ...lines] = text.slice(start, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    out.push({ status: Number(statusLine?.split(' ')[1]), headers });
    at = end + 4 + Number(headers['content-length'] ?? 0);
  }
}
