// The drop folder's file names: a claim name read back gives what was put in,
// whatever the dropped file is called.
import { expect } from 'chai';
import { claimName, fileStamp, parseClaim } from '../../src/drop-folder/folder-names.js';

describe('drop folder names', () => {
  const at = new Date('2026-11-25T02:00:04.123Z');

  it('reads back when, by which host and process, and which file a claim name says', () => {
    expect(parseClaim(claimName('customers-20261125.xml', 'crm-1.example.com', 4711, at))).to.deep.equal({
      claim: '20261125T020004123Z.crm-1.example.com.4711--customers-20261125.xml',
      name: 'customers-20261125.xml',
      claimedAt: '2026-11-25T02:00:04.123Z',
      host: 'crm-1.example.com',
      pid: 4711,
    });
  });

  it('keeps a file name that looks like the host and process part of a claim', () => {
    expect(parseClaim(claimName('v.2--final.123--x.xml', 'crm-1', 7, at))).to.include({ name: 'v.2--final.123--x.xml', host: 'crm-1', pid: 7 });
  });

  it('answers undefined for a name no drop folder wrote', () => {
    expect(parseClaim('notes.txt')).to.equal(undefined);
    expect(fileStamp(at)).to.equal('20261125T020004123Z');
  });
});
