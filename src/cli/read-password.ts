// Reads a password as `crm-bridge users add` takes it: the first line of
// standard input, its newline (\n or \r\n) dropped. From a terminal it asks
// on stderr and does not echo what is typed.
import readline from 'node:readline';
import { Writable } from 'node:stream';

/** The first line of `input`; undefined when it ended before any character. */
export async function readPassword(input: NodeJS.ReadableStream & { isTTY?: boolean }, prompt: (text: string) => void): Promise<string | undefined> {
  const terminal = input.isTTY === true;
  if (terminal) prompt('password (not shown): ');
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const lines = readline.createInterface({ input, output: silent, terminal, crlfDelay: Infinity });
  try {
    let ended = true;
    let first = '';
    for await (const line of lines) {
      first = line;
      ended = false;
      break;
    }
    if (terminal) prompt('\n');
    return ended ? undefined : first.replace(/\r$/, '');
  } finally {
    lines.close();
  }
}
