import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { errorMessage } from '../src/core/errors';

describe('errorMessage (the one error-reason helper)', () => {
  it('says what went wrong with a file in plain words', () => {
    const missing = path.join(os.tmpdir(), 'capture-lens-no-such-dir', 'x.pcap');
    let thrown: unknown;
    try {
      fs.readFileSync(missing);
    } catch (e) {
      thrown = e;
    }
    assert.equal(errorMessage(thrown), 'no such file');
    assert.equal(
      errorMessage(Object.assign(new Error('EACCES: permission denied, open x'), { code: 'EACCES' })),
      'permission denied',
    );
  });

  it('keeps the first line of any other error, and String() of what is not one', () => {
    assert.equal(
      errorMessage(new RangeError('Offset is outside the bounds of the DataView')),
      'Offset is outside the bounds of the DataView',
    );
    assert.equal(errorMessage(new Error('first line\n    at somewhere (x.js:1:1)')), 'first line');
    assert.equal(errorMessage({ message: 'from a worker message' }), 'from a worker message');
    assert.equal(errorMessage('a thrown string'), 'a thrown string');
    assert.equal(errorMessage(42), '42');
    assert.equal(errorMessage(null), 'null');
    assert.equal(errorMessage(undefined), 'undefined');
    assert.equal(errorMessage(new Error('')), 'Error');
  });
});
