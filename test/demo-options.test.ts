/** `npm run demo`'s choice of address and port (scripts/demo.ts): flags, environment, defaults, bad values. */
import * as assert from 'node:assert/strict';
import { demoOptions, folderUrlAt, isLoopback, walkthroughUrl } from '../scripts/demo';

describe('demo: listening address and port', () => {
  it('defaults to 127.0.0.1 and a free port', () => {
    assert.deepEqual(demoOptions([], {}), { host: '127.0.0.1', port: undefined });
  });

  it('takes $HOST and $PORT, and --host/--port over them', () => {
    assert.deepEqual(demoOptions([], { HOST: '0.0.0.0', PORT: '8080' }), { host: '0.0.0.0', port: 8080 });
    assert.deepEqual(demoOptions(['--host', '192.0.2.7', '--port=9000'], { HOST: '0.0.0.0', PORT: '8080' }), { host: '192.0.2.7', port: 9000 });
    assert.deepEqual(demoOptions(['--host=::'], {}), { host: '::', port: undefined });
  });

  it('refuses a bad port, a missing value and an unknown option, saying which', () => {
    assert.throws(() => demoOptions([], { PORT: '80x' }), /port 80x is not a port number/);
    assert.throws(() => demoOptions(['--port', '70000'], {}), /port 70000/);
    assert.throws(() => demoOptions(['--host'], {}), /--host needs a value/);
    assert.throws(() => demoOptions(['--bind', 'x'], {}), /unknown option --bind/);
  });

  it('asks for a password only off loopback', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) assert.equal(isLoopback(h), true, h);
    for (const h of ['0.0.0.0', '::', '192.0.2.7', 'demo.example']) assert.equal(isLoopback(h), false, h);
  });

  it('names the sample by the address the browser uses (IPv6 in brackets)', () => {
    const url = walkthroughAt('::1');
    assert.ok(url.startsWith('http://[::1]:8080/?folder=/srv/samples&payload='), url);
    assert.match(decodeURIComponent(url), /vscode-remote:\/\/\[::1\]:8080\/srv\/samples\/handshake-data-teardown\.tcpdump/);
    assert.match(decodeURIComponent(walkthroughAt('192.0.2.7')), /vscode-remote:\/\/192\.0\.2\.7:8080\//);
  });
});

function walkthroughAt(host: string): string {
  return walkthroughUrl(folderUrlAt(host, 8080, '/srv/samples'), 8080, '/srv/samples', host);
}
