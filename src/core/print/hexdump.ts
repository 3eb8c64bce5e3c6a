import { hex2 } from '../bytes';

/**
 * tcpdump's -x (hex) and -X (hex + ASCII) dumps (print-ascii.c): lines of 16 bytes as 8
 * groups of two, each line starting with "\n\t0xOOOO: ". `start`..`end` is the dumped range.
 */
export function hexDump(d: Uint8Array, start: number, end: number, ascii: boolean): string {
  let out = '';
  let off = 0;
  for (let line = start; line < end; line += 16) {
    const stop = Math.min(line + 16, end);
    let hex = '';
    let text = '';
    let i = line;
    for (; i + 1 < stop; i += 2) {
      hex += ' ' + hex2(d[i]) + hex2(d[i + 1]);
      if (ascii) text += printable(d[i]) + printable(d[i + 1]);
    }
    if (i < stop) {
      hex += ' ' + hex2(d[i]);
      if (ascii) text += printable(d[i]);
    }
    out += '\n\t0x' + offset4(off) + ': ';
    if (ascii) {
      out += hex.padEnd(40, ' ') + '  ' + text;
    } else {
      out += hex;
    }
    off += 16;
  }
  return out;
}

function printable(b: number): string {
  return b > 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.';
}

function offset4(n: number): string {
  const s = n.toString(16);
  return s.length >= 4 ? s : '0000'.slice(s.length) + s;
}
