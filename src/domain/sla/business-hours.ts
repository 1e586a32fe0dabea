/**
 * Business time: weekly opening intervals in an IANA time zone (via Intl), minus holidays.
 * All instants are epoch milliseconds. A null calendar means 24/7.
 */
import { InvalidError } from '../errors.ts';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface OpeningInterval {
  /** 'HH:MM', local time. */
  start: string;
  /** 'HH:MM', local time, after start; '24:00' allowed. */
  end: string;
}

export interface BusinessCalendar {
  timeZone: string;
  weekly: Partial<Record<Weekday, readonly OpeningInterval[]>>;
  /** Local dates 'YYYY-MM-DD' with no business time at all. */
  holidays?: readonly string[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far ahead we search for business time before giving up (a calendar with no hours). */
const MAX_DAYS = 3 * 366;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const QUARTER_HOUR = 15 * MINUTE;
const offsetCache = new Map<string, number>();

/**
 * Offset of the zone from UTC at an instant, in ms (local = utc + offset). Memoised per
 * quarter hour: zone transitions happen on quarter-hour boundaries.
 */
export function zoneOffset(ms: number, timeZone: string): number {
  const bucket = Math.floor(ms / QUARTER_HOUR);
  const key = `${timeZone}|${bucket}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    if (offsetCache.size >= 100_000) offsetCache.clear();
    offset = computeZoneOffset(bucket * QUARTER_HOUR, timeZone);
    offsetCache.set(key, offset);
  }
  return offset;
}

function computeZoneOffset(ms: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return local - Math.floor(ms / 1000) * 1000;
}

/**
 * Local wall time (as a UTC-based ms value) → instant. Ambiguous times (clocks going back)
 * take the earlier instant; times in a gap (clocks going forward) move forward by the gap.
 */
export function localToInstant(localMs: number, timeZone: string): number {
  const before = zoneOffset(localMs - DAY, timeZone);
  const after = zoneOffset(localMs + DAY, timeZone);
  const valid = [localMs - before, localMs - after].filter((t) => localMs - zoneOffset(t, timeZone) === t);
  if (valid.length > 0) return Math.min(...valid);
  return localMs - before;
}

function parseHm(s: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  if (!m) return Number.NaN;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return Number.NaN;
  return h * 60 + min;
}

export function validateCalendar(cal: BusinessCalendar): void {
  /** `path`: JSON pointer of the offending value in the calendar. */
  const fail = (message: string, path: string) => {
    throw new InvalidError('invalid_business_calendar', message, { path });
  };
  try {
    formatter(cal.timeZone);
  } catch {
    fail(`unknown time zone ${cal.timeZone}`, '/timeZone');
  }
  for (const [day, intervals] of Object.entries(cal.weekly)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) fail(`unknown weekday ${day}`, `/weekly/${day}`);
    let lastEnd = -1;
    const sorted = [...(intervals ?? [])].sort((a, b) => parseHm(a.start) - parseHm(b.start));
    for (const iv of sorted) {
      const s = parseHm(iv.start);
      const e = parseHm(iv.end);
      const at = `/weekly/${day}`;
      if (Number.isNaN(s) || Number.isNaN(e)) fail(`bad time on ${day}: ${iv.start}-${iv.end}`, at);
      if (e <= s) fail(`interval on ${day} ends before it starts: ${iv.start}-${iv.end}`, at);
      if (s < lastEnd) fail(`overlapping intervals on ${day}`, at);
      lastEnd = e;
    }
  }
  for (const [i, h] of (cal.holidays ?? []).entries()) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(h) || Number.isNaN(Date.parse(`${h}T00:00:00Z`)))
      fail(`bad holiday date ${h}`, `/holidays/${i}`);
  }
  // A calendar that is never open stops every clock forever: no warning, escalation or breach.
  if (!Object.values(cal.weekly).some((intervals) => (intervals?.length ?? 0) > 0))
    fail('the calendar has no opening hours: add at least one day with hours', '/weekly');
}

/** Memo of computed days per calendar object (calendars are immutable configuration). */
const dayCache = new WeakMap<BusinessCalendar, Map<number, ReadonlyArray<readonly [number, number]>>>();
const DAY_CACHE_MAX = 4096;

/** Opening intervals (instants) of the local calendar day starting at `localDayStart` (UTC-based local midnight). */
function dayIntervals(
  cal: BusinessCalendar,
  localDayStart: number,
): ReadonlyArray<readonly [number, number]> {
  let days = dayCache.get(cal);
  if (!days) {
    days = new Map();
    dayCache.set(cal, days);
  }
  let hit = days.get(localDayStart);
  if (!hit) {
    if (days.size >= DAY_CACHE_MAX) days.clear();
    hit = computeDayIntervals(cal, localDayStart);
    days.set(localDayStart, hit);
  }
  return hit;
}

function computeDayIntervals(cal: BusinessCalendar, localDayStart: number): Array<[number, number]> {
  const date = new Date(localDayStart).toISOString().slice(0, 10);
  if (cal.holidays?.includes(date)) return [];
  const weekday = WEEKDAYS[new Date(localDayStart).getUTCDay()]!;
  const out: Array<[number, number]> = [];
  for (const iv of cal.weekly[weekday] ?? []) {
    const s = localToInstant(localDayStart + parseHm(iv.start) * MINUTE, cal.timeZone);
    const e = localToInstant(localDayStart + parseHm(iv.end) * MINUTE, cal.timeZone);
    if (e > s) out.push([s, e]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

function localMidnight(ms: number, timeZone: string): number {
  const local = ms + zoneOffset(ms, timeZone);
  return Math.floor(local / DAY) * DAY;
}

/** The instant when `durationMs` of business time has elapsed after `from`; null if never. */
export function addBusinessTime(
  cal: BusinessCalendar | null,
  from: number,
  durationMs: number,
): number | null {
  if (durationMs <= 0) return from;
  if (!cal) return from + durationMs;
  let left = durationMs;
  // Start one day early: an interval of the previous local day can run past midnight in UTC terms.
  let day = localMidnight(from, cal.timeZone) - DAY;
  for (let i = 0; i < MAX_DAYS; i++, day += DAY) {
    for (const [s, e] of dayIntervals(cal, day)) {
      const start = Math.max(s, from);
      if (e <= start) continue;
      if (e - start >= left) return start + left;
      left -= e - start;
    }
  }
  return null;
}

/** Business time between two instants (0 when to <= from). */
export function businessTimeBetween(cal: BusinessCalendar | null, from: number, to: number): number {
  if (to <= from) return 0;
  if (!cal) return to - from;
  let total = 0;
  const last = localMidnight(to, cal.timeZone);
  for (let day = localMidnight(from, cal.timeZone) - DAY; day <= last; day += DAY) {
    for (const [s, e] of dayIntervals(cal, day)) {
      const a = Math.max(s, from);
      const b = Math.min(e, to);
      if (b > a) total += b - a;
    }
  }
  return total;
}

/** Whether the instant falls in business time. */
export function isBusinessTime(cal: BusinessCalendar | null, at: number): boolean {
  if (!cal) return true;
  const day = localMidnight(at, cal.timeZone);
  return [...dayIntervals(cal, day - DAY), ...dayIntervals(cal, day)].some(([s, e]) => at >= s && at < e);
}
