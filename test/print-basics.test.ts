/** Time stamps and hex dumps, checked against text tcpdump printed. */
import * as assert from 'node:assert/strict';
import { TimeFormatter } from '../src/core/print/time';
import { hexDump } from '../src/core/print/hexdump';
import { defaultPrintOptions } from '../src/core/print/options';

describe('time stamps (tcpdump -t … -ttttt, --nano)', function () {
  let savedTz: string | undefined;
  before(() => {
    savedTz = process.env.TZ;
    process.env.TZ = 'GMT0';
  });
  after(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });
  // the three packets of tcpdump's tcp-handshake-nano.pcap
  const pkts: [number, number][] = [
    [1418145369, 924505488],
    [1418145370, 52027262],
    [1418145370, 52115157],
  ];
  const run = (timeFormat: number, nano: boolean) => {
    const f = new TimeFormatter({ ...defaultPrintOptions(), timeFormat, nano });
    return pkts.map(([s, ns]) => f.format(s, ns, 9));
  };
  it('default: time of day, µs truncated from ns', () => {
    assert.deepEqual(run(0, false), ['17:16:09.924505 ', '17:16:10.052027 ', '17:16:10.052115 ']);
  });
  it('-t prints nothing; -tt epoch', () => {
    assert.deepEqual(run(1, false), ['', '', '']);
    assert.deepEqual(run(2, true), ['1418145369.924505488 ', '1418145370.052027262 ', '1418145370.052115157 ']);
  });
  it('-ttt delta from previous, -ttttt from first', () => {
    assert.deepEqual(run(3, true), [' 00:00:00.000000000 ', ' 00:00:00.127521774 ', ' 00:00:00.000087895 ']);
    assert.deepEqual(run(5, false), [' 00:00:00.000000 ', ' 00:00:00.127522 ', ' 00:00:00.127610 ']);
  });
  it('-tttt date and time', () => {
    assert.deepEqual(run(4, true)[0], '2014-12-09 17:16:09.924505488 ');
  });
  it('an out-of-range sub-second field is printed raw and marked invalid', () => {
    const f = new TimeFormatter(defaultPrintOptions());
    assert.equal(f.format(1418145370, 1_000_000 * 1000, 6), '17:16:10.1000000 (invalid us) ');
    const g = new TimeFormatter({ ...defaultPrintOptions(), nano: true });
    assert.equal(g.format(1418145370, 2147483648, 9), '17:16:10.2147483648 (invalid ns) ');
  });
});

describe('hex dumps (-x, -X)', function () {
  const bytes = new Uint8Array([0x45, 0x00, 0x00, 0x3c, 0x1b, 0x68, 0x40, 0x00, 0x40, 0x06, 0x21, 0x52, 0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00]);
  it('-x: groups of two bytes, 16 a line', () => {
    assert.equal(hexDump(bytes, 0, bytes.length, false), '\n\t0x0000:  4500 003c 1b68 4000 4006 2152 7f00 0001\n\t0x0010:  7f00 00');
  });
  it('-X: hex padded to 40 columns, then printable ASCII', () => {
    assert.equal(
      hexDump(bytes, 0, bytes.length, true),
      '\n\t0x0000:  4500 003c 1b68 4000 4006 2152 7f00 0001  E..<.h@.@.!R....\n\t0x0010:  7f00 00                                  ...',
    );
  });
});
