// The one rule for "the holder of a lease is gone" (a running batch, a
// claimed file, a spool file), and when a running batch may be resumed. The
// asker's view of its host's processes is a plain set here: the rule is pure.
import { expect } from 'chai';
import { holderGone, mayResumeBatch, retryAfterSeconds, type ProcessView } from '../../src/domain/lease-holder.js';

const NOW = '2026-11-25T02:00:00.000Z';
const IN_40_S = '2026-11-25T02:00:40.000Z';

/** Process 100 of host-a, on whose host processes 100 and 200 run. */
const me: ProcessView = { host: 'host-a', pid: 100, isRunning: (pid) => pid === 100 || pid === 200 };

describe('lease holders', () => {
  describe('holderGone', () => {
    it('on this host: gone when its process no longer runs, there when it runs', () => {
      expect(holderGone({ host: 'host-a', pid: 300 }, me, false)).to.equal(true);
      expect(holderGone({ host: 'host-a', pid: 200 }, me, false)).to.equal(false);
    });

    it('with this very process\'s id: gone unless this process holds it itself (a restart given the same pid)', () => {
      expect(holderGone({ host: 'host-a', pid: 100 }, me, false)).to.equal(true);
      expect(holderGone({ host: 'host-a', pid: 100 }, me, true)).to.equal(false);
    });

    it('on another host: cannot tell, whatever runs here under that id', () => {
      expect(holderGone({ host: 'host-b', pid: 300 }, me, false)).to.equal(undefined);
      expect(holderGone({ host: 'host-b', pid: 100 }, me, false)).to.equal(undefined);
    });
  });

  describe('mayResumeBatch', () => {
    it('resumes at once, within its lease, the batch of a process of this host that no longer runs', () => {
      expect(mayResumeBatch({ holder: { host: 'host-a', pid: 300 }, leaseUntil: IN_40_S }, me, false, NOW)).to.equal(true);
    });

    it('resumes at once the batch recorded under this process\'s id that this process does not import', () => {
      expect(mayResumeBatch({ holder: { host: 'host-a', pid: 100 }, leaseUntil: IN_40_S }, me, false, NOW)).to.equal(true);
    });

    it('leaves a live holder its batch while the lease runs: another request of this process, another process of this host, another host', () => {
      expect(mayResumeBatch({ holder: { host: 'host-a', pid: 100 }, leaseUntil: IN_40_S }, me, true, NOW)).to.equal(false);
      expect(mayResumeBatch({ holder: { host: 'host-a', pid: 200 }, leaseUntil: IN_40_S }, me, false, NOW)).to.equal(false);
      expect(mayResumeBatch({ holder: { host: 'host-b', pid: 300 }, leaseUntil: IN_40_S }, me, false, NOW)).to.equal(false);
    });

    it('leaves a batch whose holder was not recorded (begun before the store kept it) until its lease runs out', () => {
      expect(mayResumeBatch({ holder: undefined, leaseUntil: IN_40_S }, me, false, NOW)).to.equal(false);
      expect(mayResumeBatch({ holder: undefined, leaseUntil: NOW }, me, false, NOW)).to.equal(true);
    });

    it('resumes any batch whose lease has run out, even a live holder\'s (it stalled past its lease)', () => {
      expect(mayResumeBatch({ holder: { host: 'host-b', pid: 300 }, leaseUntil: NOW }, me, false, NOW)).to.equal(true);
      expect(mayResumeBatch({ holder: { host: 'host-a', pid: 200 }, leaseUntil: '2026-11-25T01:59:00.000Z' }, me, false, NOW)).to.equal(true);
    });
  });

  describe('retryAfterSeconds', () => {
    it('is the whole seconds until the lease runs out, rounded up, at least 1 and at most a lease', () => {
      expect(retryAfterSeconds(IN_40_S, NOW)).to.equal(40);
      expect(retryAfterSeconds('2026-11-25T02:00:00.001Z', NOW)).to.equal(1);
      expect(retryAfterSeconds('2026-11-25T02:00:39.001Z', NOW)).to.equal(40);
      expect(retryAfterSeconds(NOW, NOW)).to.equal(1);
      expect(retryAfterSeconds('2026-11-25T01:00:00.000Z', NOW)).to.equal(1);
      // A clock that went back: never longer than the lease itself.
      expect(retryAfterSeconds('2026-11-25T03:00:00.000Z', NOW)).to.equal(60);
    });
  });
});
