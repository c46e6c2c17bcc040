// The bench's streamed-answer counter: every occurrence once, wherever the
// chunks of the answer happen to split it.
import { expect } from 'chai';
import { counter } from '../../bench/batch-exchange.js';

describe('bench: counting records in a streamed answer', () => {
  const body = Buffer.from('<r><customer>a</customer><customer>b</customer>é<customer/><customer>c</customer></r>', 'utf8');

  it('counts each occurrence once for every way of cutting the answer into chunks of one size', () => {
    for (let size = 1; size <= body.length; size++) {
      const c = counter('<customer>');
      for (let i = 0; i < body.length; i += size) c.feed(body.subarray(i, i + size));
      expect(c.count, `chunks of ${size}`).to.equal(3);
    }
  });
});
