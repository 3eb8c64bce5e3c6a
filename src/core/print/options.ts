/** tcpdump command-line options the printer honours. */
export interface PrintOptions {
  /** -v count (0..3). */
  verbose: number;
  /** -S: absolute TCP sequence numbers. */
  absoluteSeq: boolean;
  /** -q: quick (terse) output. */
  quiet: boolean;
  /** -e: print the link-level header. */
  linkHeader: boolean;
  /** -#: packet number prefix. */
  number: boolean;
  /** 0 = default (time of day); 1 = -t (none); 2 = -tt; 3 = -ttt; 4 = -tttt; 5 = -ttttt. */
  timeFormat: number;
  /** --nano: nanosecond time stamps. */
  nano: boolean;
  /** 0 none; 1 -x; 2 -xx; 3 -X; 4 -XX. */
  hex: number;
}

export function defaultPrintOptions(): PrintOptions {
  return { verbose: 0, absoluteSeq: false, quiet: false, linkHeader: false, number: false, timeFormat: 0, nano: false, hex: 0 };
}
