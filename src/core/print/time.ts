import { PrintOptions } from './options';

/**
 * tcpdump's time-stamp column (print.c ts_print): time of day, none (-t), epoch (-tt),
 * delta from the previous packet (-ttt), date and time (-tttt), delta from the first packet
 * (-ttttt); microseconds, or nanoseconds with --nano. Local time follows the process's TZ,
 * as tcpdump's does. A record whose sub-second field is out of range is printed raw with
 * "(invalid us)"/"(invalid ns)", as tcpdump does.
 */
export class TimeFormatter {
  private prevSec = 0;
  private prevFrac = 0;
  private firstSec = 0;
  private firstFrac = 0;
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
        return tsSec + '.' + this.pad(frac) + suffix;
      case 3:
      case 5: {
        if (!this.seen) {
          this.seen = true;
          this.firstSec = this.prevSec = tsSec;
          this.firstFrac = this.prevFrac = frac;
        }
        const refSec = tf === 3 ? this.prevSec : this.firstSec;
        const refFrac = tf === 3 ? this.prevFrac : this.firstFrac;
        let ds = tsSec - refSec;
        let df = frac - refFrac;
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
        this.prevSec = tsSec;
        this.prevFrac = frac;
        const h = Math.floor(ds / 3600);
        const m = Math.floor((ds % 3600) / 60);
        const s = ds % 60;
        return (negative ? '-' : ' ') + two(h) + ':' + two(m) + ':' + two(s) + '.' + this.pad(df) + suffix;
      }
      case 4:
        return this.localDateTime(tsSec, true) + '.' + this.pad(frac) + suffix;
      default:
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
    const d = new Date(sec * 1000);
    let text = two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
    if (withDate) text = d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' ' + text;
    this.cacheSec = sec;
    this.cacheText = text;
    return text;
  }
}

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}
