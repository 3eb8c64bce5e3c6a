import { PrintOptions } from './options';

/**
 * tcpdump's time-stamp column (print.c ts_print): time of day, none (-t), epoch (-tt),
 * delta from the previous packet (-ttt), date and time (-tttt), delta from the first packet
 * (-ttttt); microseconds, or nanoseconds with --nano. Local time follows the process's TZ,
 * as tcpdump's does. A record whose sub-second field is out of range is printed raw with
 * "(invalid us)"/"(invalid ns)", as tcpdump does.
 */
export class TimeFormatter {
  /** The reference time of -ttt (previous packet) and -ttttt (first packet). */
  private refSec = 0;
  private refFrac = 0;
  private seen = false;
  // cache of the formatted whole-second part (local time), which changes rarely
  private cacheSec = NaN;
  private cacheText = '';
  private readonly digits: number;
  private readonly unitsPerSec: number;

  constructor(private readonly opts: PrintOptions) {
    this.digits = opts.nano ? 9 : 6;
    this.unitsPerSec = opts.nano ? 1e9 : 1e6;
  }

  /**
   * The column text including its trailing space ('' for -t).
   * `tsNsec` is the record's sub-second part in ns; `precision` the file's native precision.
   */
  format(tsSec: number, tsNsec: number, precision: 6 | 9): string {
    const tf = this.opts.timeFormat;
    if (tf === 1) return '';
    // The sub-second value at the printing precision, as libpcap hands it to tcpdump:
    // a ns file read at µs precision is divided (truncated); a µs file read at ns is multiplied.
    let frac: number;
    let invalid = false;
    const rawUnits = precision === 9 ? 1e9 : 1e6;
    const raw = precision === 9 ? tsNsec : Math.floor(tsNsec / 1000);
    if (raw >= rawUnits) {
      invalid = true;
      frac = raw; // printed raw, as tcpdump does
    } else if (this.opts.nano) {
      frac = precision === 9 ? raw : raw * 1000;
    } else {
      frac = precision === 9 ? Math.floor(raw / 1000) : raw;
    }
    const suffix = invalid ? (precision === 9 ? ' (invalid ns) ' : ' (invalid us) ') : ' ';
    switch (tf) {
      case 2:
        if (unconvertible(tsSec, false)) return ERROR + ' ';
        return (tsSec >>> 0) + '.' + this.pad(frac) + suffix;
      case 3:
      case 5: {
        if (!this.seen) {
          this.seen = true;
          this.refSec = tsSec;
          this.refFrac = frac;
        }
        let ds = tsSec - this.refSec;
        let df = frac - this.refFrac;
        let negative = false;
        if (ds < 0 || (ds === 0 && df < 0)) {
          negative = true;
          ds = -ds;
          df = -df;
        }
        if (df < 0) {
          ds -= 1;
          df += this.unitsPerSec;
        }
        if (tf === 3) {
          this.refSec = tsSec;
          this.refFrac = frac;
        }
        const sign = negative ? '-' : ' ';
        if (unconvertible(ds, true)) return sign + ERROR + ' ';
        // tcpdump formats the difference with gmtime's %H:%M:%S: the hours wrap at a day
        const sod = secondOfDay(ds);
        return sign + hms(sod) + '.' + this.pad(df) + suffix;
      }
      case 4:
        if (unconvertible(tsSec, true)) return ERROR + ' ';
        return this.localDateTime(tsSec, true) + '.' + this.pad(frac) + suffix;
      default:
        if (unconvertible(tsSec, true)) return ERROR + ' ';
        return this.localDateTime(tsSec, false) + '.' + this.pad(frac) + suffix;
    }
  }

  private pad(n: number): string {
    let s = String(n);
    while (s.length < this.digits) s = '0' + s;
    return s;
  }

  private localDateTime(sec: number, withDate: boolean): string {
    if (sec === this.cacheSec) return this.cacheText;
    const t = sec + localOffset(sec);
    const sod = secondOfDay(t);
    let text = hms(sod);
    if (withDate) {
      const c = civilFromDays(dayOf(t, sod));
      // strftime's %Y: no padding, a minus sign before year 0 ("-5-01-01", "500-01-01")
      text = c.y + '-' + two(c.m) + '-' + two(c.d) + ' ' + text;
    }
    this.cacheSec = sec;
    this.cacheText = text;
    return text;
  }
}

const ERROR = '[Error converting time]';

/**
 * What tcpdump 4.99.3 cannot print: a value with bit 31 of its low 32 bits set (print.c tests
 * `(unsigned)tv_sec & 0x80000000` before every form), or, for the calendar forms, a year gmtime's
 * int tm_year cannot hold (beyond about ±6.8e16 s). NaN and infinities too.
 */
function unconvertible(sec: number, calendar: boolean): boolean {
  if (!Number.isFinite(sec) || (sec >>> 0) >= 0x80000000) return true;
  return calendar && !(sec >= TM_MIN && sec <= TM_MAX);
}

/** Second of the day (0…86399) of an integral number of seconds since the epoch; exact at any size. */
function secondOfDay(t: number): number {
  if (Math.abs(t) <= Number.MAX_SAFE_INTEGER) return t - Math.floor(t / 86400) * 86400;
  // beyond 2^53 a double is still an integer, but t / 86400 rounds: split it exactly
  const r = Number(BigInt(t) % 86400n);
  return r < 0 ? r + 86400 : r;
}

/** The day number of t, given its second of the day (exact: t - sod is a multiple of 86400). */
function dayOf(t: number, sod: number): number {
  if (Math.abs(t) <= Number.MAX_SAFE_INTEGER) return (t - sod) / 86400;
  return Number((BigInt(t) - BigInt(sod)) / 86400n);
}

function hms(sod: number): string {
  return two(Math.floor(sod / 3600)) + ':' + two(Math.floor((sod % 3600) / 60)) + ':' + two(sod % 60);
}

/** 400 Gregorian years, in seconds: the calendar (weekdays, leap days) repeats after it. */
const CYCLE = 146097 * 86400;
/** Date's range (±8.64e15 ms), less two days for the local offset. */
const DATE_LIMIT = 8.64e12 - 2 * 86400;

/**
 * Local time minus UTC at `sec`, in seconds, from the process's time zone (as localtime's). Beyond
 * Date's range the offset is the one at the same moment of a 400-year cycle inside it: the zone's
 * yearly rule (by weekday and date) repeats with the calendar, and far in the past it is local mean time.
 */
export function localOffset(sec: number): number {
  let s = sec;
  if (s > DATE_LIMIT) s -= Math.ceil((s - DATE_LIMIT) / CYCLE) * CYCLE;
  else if (s < -DATE_LIMIT) s += Math.ceil((-DATE_LIMIT - s) / CYCLE) * CYCLE;
  const d = new Date(s * 1000);
  const local = daysFromCivil(d.getFullYear(), d.getMonth() + 1, d.getDate()) * 86400 +
    d.getHours() * 3600 + d.getMinutes() * 60 + d.getSeconds();
  return local - s;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The proleptic Gregorian date of a day number (days since 1970-01-01; civil_from_days). */
export function civilFromDays(days: number): { y: number; m: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: era * 400 + yoe + (m <= 2 ? 1 : 0), m, d };
}

/** The first and last second whose year gmtime can return (tm_year is an int counting from 1900). */
const TM_MIN = daysFromCivil(-2147483648 + 1900, 1, 1) * 86400;
const TM_MAX = daysFromCivil(2147483647 + 1900 + 1, 1, 1) * 86400 - 1;

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}
