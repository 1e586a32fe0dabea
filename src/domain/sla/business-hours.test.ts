import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import {
  addBusinessTime,
  type BusinessCalendar,
  businessTimeBetween,
  isBusinessTime,
  localToInstant,
  validateCalendar,
  zoneOffset,
} from './business-hours.ts';

const H = 3_600_000;
const ms = (s: string) => Date.parse(s);
const isoOf = (n: number | null) => (n === null ? null : new Date(n).toISOString());
const nineToFive = [{ start: '09:00', end: '17:00' }];
const london: BusinessCalendar = {
  timeZone: 'Europe/London',
  weekly: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive },
  holidays: ['2026-12-25', '2026-12-28'],
};

describe('time zones', () => {
  it('reads offsets from Intl', () => {
    expect(zoneOffset(ms('2026-07-01T12:00:00Z'), 'Europe/London')).toBe(H);
    expect(zoneOffset(ms('2026-01-01T12:00:00Z'), 'Europe/London')).toBe(0);
    expect(zoneOffset(ms('2026-01-01T12:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * H);
  });
  it('maps local wall time to instants across DST gaps and overlaps', () => {
    expect(isoOf(localToInstant(Date.UTC(2026, 5, 1, 9), 'America/New_York'))).toBe(
      '2026-06-01T13:00:00.000Z',
    );
    // 01:30 does not exist in London on 2026-03-29: moves forward to 02:30 BST.
    expect(isoOf(localToInstant(Date.UTC(2026, 2, 29, 1, 30), 'Europe/London'))).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    // 01:30 happens twice on 2026-10-25: the earlier (BST) one.
    expect(isoOf(localToInstant(Date.UTC(2026, 9, 25, 1, 30), 'Europe/London'))).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });
});

describe('business time', () => {
  it('24/7 when there is no calendar', () => {
    expect(addBusinessTime(null, 1000, 500)).toBe(1500);
    expect(businessTimeBetween(null, 1000, 400)).toBe(0);
  });

  it('carries over the weekend', () => {
    // Friday 27 Nov 2026, 16:30 GMT + 1 h → Monday 09:30
    expect(isoOf(addBusinessTime(london, ms('2026-11-27T16:30:00Z'), H))).toBe('2026-11-30T09:30:00.000Z');
    // Saturday → Monday 10:00
    expect(isoOf(addBusinessTime(london, ms('2026-11-28T11:00:00Z'), H))).toBe('2026-11-30T10:00:00.000Z');
    expect(businessTimeBetween(london, ms('2026-11-27T16:30:00Z'), ms('2026-11-30T09:30:00Z'))).toBe(H);
  });

  it('skips holidays (local dates) and respects local time in summer', () => {
    // Thu 24 Dec 16:00 + 2 h: 1 h Thursday, Fri 25 and Mon 28 are holidays → Tue 29 10:00
    expect(isoOf(addBusinessTime(london, ms('2026-12-24T16:00:00Z'), 2 * H))).toBe(
      '2026-12-29T10:00:00.000Z',
    );
    // In BST, 09:00 local is 08:00Z
    expect(isoOf(addBusinessTime(london, ms('2026-07-01T07:00:00Z'), 30 * 60_000))).toBe(
      '2026-07-01T08:30:00.000Z',
    );
  });

  it('counts business time across a DST change', () => {
    // Fri 27 Mar 16:00 GMT → Mon 30 Mar 10:00 BST (09:00Z): 1 h Friday + 1 h Monday
    expect(businessTimeBetween(london, ms('2026-03-27T16:00:00Z'), ms('2026-03-30T09:00:00Z'))).toBe(2 * H);
  });

  it('handles split shifts, 24:00 ends and zones east of UTC', () => {
    const tokyo: BusinessCalendar = {
      timeZone: 'Asia/Tokyo',
      weekly: {
        mon: [
          { start: '09:00', end: '12:00' },
          { start: '13:00', end: '24:00' },
        ],
      },
    };
    // Monday 30 Nov 2026 11:30 JST = 02:30Z; + 1 h → 13:30 JST (lunch skipped) = 04:30Z
    expect(isoOf(addBusinessTime(tokyo, ms('2026-11-30T02:30:00Z'), H))).toBe('2026-11-30T04:30:00.000Z');
    expect(businessTimeBetween(tokyo, ms('2026-11-29T15:00:00Z'), ms('2026-11-30T15:00:00Z'))).toBe(14 * H);
    expect(isBusinessTime(tokyo, ms('2026-11-30T03:30:00Z'))).toBe(false);
    expect(isBusinessTime(tokyo, ms('2026-11-30T14:59:00Z'))).toBe(true);
  });

  it('returns null when a calendar never opens', () => {
    expect(addBusinessTime({ timeZone: 'UTC', weekly: {} }, 0, H)).toBeNull();
    expect(addBusinessTime({ timeZone: 'UTC', weekly: {} }, 0, 0)).toBe(0);
  });
});

describe('validateCalendar', () => {
  it.each([
    [{ timeZone: 'Mars/Olympus', weekly: {} }, 'unknown time zone'],
    [{ timeZone: 'UTC', weekly: { mon: [{ start: '9:00', end: '17:00' }] } }, 'bad time'],
    [{ timeZone: 'UTC', weekly: { mon: [{ start: '17:00', end: '09:00' }] } }, 'ends before'],
    [{ timeZone: 'UTC', weekly: { mon: [{ start: '09:00', end: '24:30' }] } }, 'bad time'],
    [
      {
        timeZone: 'UTC',
        weekly: {
          mon: [
            { start: '09:00', end: '12:00' },
            { start: '11:00', end: '13:00' },
          ],
        },
      },
      'overlapping',
    ],
    [{ timeZone: 'UTC', weekly: { funday: [] } }, 'unknown weekday'],
    [{ timeZone: 'UTC', weekly: {}, holidays: ['25/12/2026'] }, 'bad holiday'],
    [{ timeZone: 'UTC', weekly: {} }, 'no opening hours'],
    [{ timeZone: 'UTC', weekly: { mon: [], sat: [] } }, 'no opening hours'],
  ])('rejects %j', (cal, message) => {
    expect(() => validateCalendar(cal as BusinessCalendar)).toThrow(DomainError);
    expect(() => validateCalendar(cal as BusinessCalendar)).toThrow(message);
  });
  it('accepts a good one', () => {
    expect(() => validateCalendar(london)).not.toThrow();
  });
});
