import { expect } from 'chai';
import { dateTimeOfStamp, stampOf } from '../../src/domain/changes.js';
import { ValidationFailedError } from '../../src/errors.js';

describe('GetChanges cursor (change stamps)', () => {
  it('round-trips a stamp through its xs:dateTime with microseconds', () => {
    const stamp = Date.UTC(2026, 10, 25, 9, 30, 0, 123) * 1000 + 456;
    expect(dateTimeOfStamp(stamp)).to.equal('2026-11-25T09:30:00.123456Z');
    expect(stampOf(dateTimeOfStamp(stamp))).to.equal(stamp);
  });

  it('reads offsets, missing offsets (UTC) and any precision, flooring to the microsecond', () => {
    expect(stampOf('2026-11-25T10:30:00+01:00')).to.equal(Date.UTC(2026, 10, 25, 9, 30) * 1000);
    expect(stampOf('2026-11-25T09:30:00')).to.equal(Date.UTC(2026, 10, 25, 9, 30) * 1000);
    expect(stampOf('2026-11-25T09:30:00.1234569Z')).to.equal(Date.UTC(2026, 10, 25, 9, 30) * 1000 + 123456);
    expect(stampOf('2026-11-25T09:30:00.5Z')).to.equal(Date.UTC(2026, 10, 25, 9, 30) * 1000 + 500000);
  });

  it('refuses what is not an xs:dateTime', () => {
    expect(() => stampOf('yesterday')).to.throw(ValidationFailedError);
    expect(() => stampOf('2026-13-45T99:00:00Z')).to.throw(ValidationFailedError);
  });
});
