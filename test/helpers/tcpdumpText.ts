/**
 * Reading tcpdump's text the way the conformance comparisons need it (shared by the printer's
 * conformance test, the malformed-capture test and the text parser's round-trip test).
 */

/** Split tcpdump -# output into packets keyed by their number. */
export function splitPackets(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  let cur: string[] | undefined;
  for (const line of text.split('\n')) {
    const m = /^ {0,4}(\d+) {2}/.exec(line);
    if (m) {
      cur = [line];
      out.set(Number(m[1]), cur);
    } else if (cur && line.length > 0) {
      cur.push(line);
    }
  }
  return out;
}

export interface Comparable {
  /** Text compared for this packet, in parts; all must match. */
  parts: string[];
  isTcp: boolean;
}

/**
 * The parts of one packet's text that are compared: the line holding "Flags [" (or "tcp N" under
 * -q, or "[|tcp]") up to and including its first "length N"; the -v IPv4 line above it when the
 * TCP line is a continuation line; and, with `hex`, the hex-dump lines. Application-layer text
 * after "length N" is out of scope.
 */
export function comparable(lines: string[], quiet: boolean, hex = true): Comparable {
  const parts: string[] = [];
  let isTcp = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('\t0x')) {
      if (hex) parts.push(line);
      continue;
    }
    // application-layer lines (BGP attributes, …) are tab-indented and may hold "Flags [": not TCP
    if (line.startsWith('\t') || isTcp) continue;
    const flagsAt = line.indexOf(': Flags [');
    const quietMatch = quiet ? /: tcp \d+/.exec(line) : null;
    const truncAt = line.indexOf('[|tcp]');
    if (flagsAt < 0 && !quietMatch && truncAt < 0) continue;
    isTcp = true;
    let end = line.length;
    if (flagsAt >= 0) {
      const lm = /length \d+/g;
      lm.lastIndex = flagsAt;
      const m = lm.exec(line);
      if (m) end = m.index + m[0].length;
      else if (truncAt >= 0) end = truncAt + 6;
    } else if (quietMatch) {
      end = quietMatch.index + quietMatch[0].length;
    } else {
      end = truncAt + 6;
    }
    // the -v IPv4 line sits above a continuation line
    if (i > 0 && /^\s/.test(line) && !lines[i - 1].startsWith('\t')) parts.push(lines[i - 1]);
    parts.push(line.slice(0, end));
  }
  return { parts, isTcp };
}
