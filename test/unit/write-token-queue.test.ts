// The turn-taking of several worker processes writing to one database: the
// primary's queue, and a worker's side of it over a channel.
import { expect } from 'chai';
import { IpcWriteLock } from '../../src/cluster/ipc-write-lock.js';
import type { Channel, WorkerMessage } from '../../src/cluster/messages.js';
import { WriteTokenQueue } from '../../src/cluster/write-token-queue.js';

describe('cluster: the write lock', () => {
  describe('WriteTokenQueue (the primary)', () => {
    let granted: number[];
    let queue: WriteTokenQueue;
    beforeEach(() => {
      granted = [];
      queue = new WriteTokenQueue((worker) => granted.push(worker));
    });

    it('grants one turn at a time, in the order asked', () => {
      queue.request(1);
      queue.request(2);
      queue.request(1);
      expect(granted).to.deep.equal([1]);
      queue.release(1);
      expect(granted).to.deep.equal([1, 2]);
      queue.release(2);
      expect(granted).to.deep.equal([1, 2, 1]);
    });

    it('ignores a release from a worker that does not hold the turn', () => {
      queue.request(1);
      queue.request(2);
      queue.release(2);
      expect(granted).to.deep.equal([1]);
    });

    it('passes the turn on when its holder dies, and drops the turns a dead worker waited for', () => {
      queue.request(1);
      queue.request(2);
      queue.request(3);
      queue.request(2);
      queue.forget(2);
      expect(granted).to.deep.equal([1]);
      queue.forget(1);
      expect(granted).to.deep.equal([1, 3]);
      queue.release(3);
      expect(granted).to.deep.equal([1, 3]);
    });
  });

  describe('IpcWriteLock (a worker)', () => {
    it('asks for a turn per transaction, resolves them in order as granted, and gives each back', async () => {
      const sent: WorkerMessage['crm'][] = [];
      let deliver: (message: unknown) => void = () => undefined;
      const channel: Channel = { send: (m) => { sent.push(m.crm); return true; }, onMessage: (listener) => { deliver = listener; }, onDisconnect: () => undefined };
      const lock = new IpcWriteLock(channel);
      const waited: number[] = [];
      lock.onWait((seconds) => waited.push(seconds));
      const order: string[] = [];
      const first = lock.acquire().then(() => order.push('first'));
      const second = lock.acquire().then(() => order.push('second'));
      expect(sent).to.deep.equal(['write-lock', 'write-lock']);
      deliver({ crm: 'collect-metrics', id: 1 });
      deliver({ something: 'else' });
      await Promise.resolve();
      expect(order).to.deep.equal([]);
      deliver({ crm: 'write-granted' });
      await first;
      expect(order).to.deep.equal(['first']);
      lock.release();
      deliver({ crm: 'write-granted' });
      await second;
      expect(order).to.deep.equal(['first', 'second']);
      lock.release();
      expect(sent).to.deep.equal(['write-lock', 'write-lock', 'write-unlock', 'write-unlock']);
      expect(waited).to.have.length(2);
      expect(waited.every((s) => s >= 0 && s < 5)).to.equal(true);
    });

    it('fails the turns waiting, and any asked for later, once the primary has gone', async () => {
      let connected = true;
      let disconnect: () => void = () => undefined;
      const channel: Channel = { send: () => connected, onMessage: () => undefined, onDisconnect: (listener) => { disconnect = listener; } };
      const lock = new IpcWriteLock(channel);
      const waiting = lock.acquire();
      connected = false;
      disconnect();
      let error: unknown;
      await waiting.catch((err: unknown) => { error = err; });
      expect(String(error)).to.contain('primary process has gone');
      error = undefined;
      await lock.acquire().catch((err: unknown) => { error = err; });
      expect(String(error)).to.contain('primary process has gone');
      expect(() => lock.release()).to.not.throw();
    });
  });
});
