// xs:dateTime's lexical space (XML Schema Part 2, 3.2.7), as the JSON
// Schema's `date-time` format is checked on /api: the XSD is the contract, so
// a JSON timestamp is accepted exactly when the same text in an XML element
// of that type is (a time zone is optional there, as it is not in RFC 3339;
// 24:00:00 is the end of a day; the year has four digits or more).
const LEXICAL = /^-?(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))?$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isXsdDateTime(text: string): boolean {
  const m = LEXICAL.exec(text);
  if (m === null) return false;
  const [, y = '', mo = '', d = '', h = '', mi = '', s = '', frac = '', , zh, zm] = m;
  const year = Number(y);
  if (y.length > 4 && y.startsWith('0')) return false;
  if (year === 0) return false;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (hour === 24) {
    if (minute !== 0 || second !== 0 || /[1-9]/.test(frac)) return false;
  } else if (hour > 23 || minute > 59 || second > 59) return false;
  if (zh !== undefined && zm !== undefined) {
    const zoneHours = Number(zh);
    const zoneMinutes = Number(zm);
    if (zoneMinutes > 59 || zoneHours > 14 || (zoneHours === 14 && zoneMinutes !== 0)) return false;
  }
  return true;
}
