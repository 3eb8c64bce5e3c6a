/**
 * tcpdump's fn_print_char for the application printers (BOOTP, NTP): "M-" for bytes above 0x7f, "^"
 * and the control's letter for controls ("^@" for NUL). The same rule as print/tcp.ts's
 * printableChar, kept here because print/tcp.ts imports the application table (importing it back
 * would be an import cycle).
 */
export function fnPrintChar(c: number): string {
  let s = '';
  if (c > 0x7f) {
    c &= 0x7f;
    s = 'M-';
  }
  if (c < 0x20 || c > 0x7e) {
    c ^= 0x40;
    s += '^';
  }
  return s + String.fromCharCode(c);
}
