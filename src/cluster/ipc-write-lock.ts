// A worker's side of the write lock: each write transaction asks the primary
// for the turn and gives it back after COMMIT or ROLLBACK. The store asks for a
// turn per transaction, and a group commit is one transaction for all the
// writes that queued meanwhile, so the round trip (~0.1 ms) is paid per
// group, not per write.
import type { WriteLock } from '../store/sqlite/write-lock.js';
import { isMessage, type PrimaryMessage, type WorkerMessage } from './messages.js';

export interface Channel {
  send(message: WorkerMessage): void;
  onMessage(listener: (message: unknown) => void): void;
}

export function processChannel(): Channel {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('not a cluster worker: no IPC channel to the primary');
  return {
    send: (message) => { send(message); },
    onMessage: (listener) => { process.on('message', listener); },
  };
}

export class IpcWriteLock implements WriteLock {
  /** Turns asked for, in order; the primary grants them in that order. */
  private readonly turns: (() => void)[] = [];

  constructor(private readonly channel: Channel) {
    channel.onMessage((message) => {
      if (isMessage<PrimaryMessage>(message) && message.crm === 'write-granted') this.turns.shift()?.();
    });
  }

  acquire(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.turns.push(resolve);
      this.channel.send({ crm: 'write-lock' });
    });
  }

  release(): void {
    this.channel.send({ crm: 'write-unlock' });
  }
}
