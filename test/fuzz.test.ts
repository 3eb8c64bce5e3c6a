/**
 * The fuzzer's own harness (scripts/fuzz/engine.ts): it really mutates, is reproducible from its
 * seed, and catches and reports a failing target. Runs on generated seeds only (no corpus), a few
 * hundred inputs in all.
 */
import * as assert from 'node:assert/strict';

import { BYTE_MUTATORS, Checker, fuzzInProcess, inputStream, mutate, OracleError, Rng, runInput, sameBytes, TEXT_MUTATORS, type Target } from '../scripts/fuzz/engine';
import { generatedSeeds } from '../scripts/fuzz/seeds';
import { targetByName } from '../scripts/fuzz/targets';

const MARKER = 0x80;

/** A target with a defect: it throws when the input holds the marker byte (0x80). */
const throwsOnMarker: Target = {
  name: 'fake-throw',
  input: 'capture',
  what: 'throws on a marker byte',
  run(input) {
    if (input.includes(MARKER)) throw new RangeError('marker byte seen');
  },
};

/** A target whose output shows NaN when the input holds the marker byte (an oracle failure, no exception). */
const nanOnMarker: Target = {
  name: 'fake-nan',
  input: 'capture',
  what: 'prints NaN on a marker byte',
  run(input, c) {
    c.text('fake line', input.includes(MARKER) ? `time ${0 / 0}` : 'time 0.000000');
  },
};

describe('fuzz harness', () => {
  const seeds = generatedSeeds();

  it('has generated seeds of both kinds without a corpus', () => {
    assert.ok(seeds.capture.length >= 5, `${seeds.capture.length} capture seeds`);
    assert.ok(seeds.text.length >= 5, `${seeds.text.length} text seeds`);
  });

  it('every mutator changes its input (within 20 tries), and the same seed gives the same inputs', () => {
    const cap = seeds.capture[0];
    const other = seeds.capture[1];
    for (const [name, m] of Object.entries(BYTE_MUTATORS)) {
      const rng = new Rng(5);
      let changed = 0;
      for (let k = 0; k < 20; k++) if (!sameBytes(m(rng, cap, other), cap)) changed++;
      assert.ok(changed > 0, `byte mutator ${name} never changed the seed`);
    }
    const text = new TextDecoder().decode(seeds.text[0]);
    for (const [name, m] of Object.entries(TEXT_MUTATORS)) {
      const rng = new Rng(5);
      let changed = 0;
      for (let k = 0; k < 20; k++) if (m(rng, text, 'other line\n') !== text) changed++;
      assert.ok(changed > 0, `text mutator ${name} never changed the seed`);
    }
    const a = inputStream(3, 'print');
    const b = inputStream(3, 'print');
    for (let k = 0; k < 30; k++) assert.ok(sameBytes(mutate(a, seeds.capture, 'capture'), mutate(b, seeds.capture, 'capture')), `input ${k} differs between two runs`);
    const c = inputStream(4, 'print');
    const d = inputStream(3, 'print');
    let differ = 0;
    for (let k = 0; k < 30; k++) if (!sameBytes(mutate(c, seeds.capture, 'capture'), mutate(d, seeds.capture, 'capture'))) differ++;
    assert.ok(differ > 20, `another seed gives other inputs (${differ} of 30 differ)`);
  });

  it('runs real targets on mutated inputs (readers, print, text) without finding fault in the harness itself', async () => {
    for (const [name, pool, count] of [['readers', seeds.capture, 60], ['print', seeds.capture, 15], ['text', seeds.text, 15]] as const) {
      const t = targetByName(name)!;
      const stats = await fuzzInProcess(t, pool, { seed: 11, count });
      assert.equal(stats.inputs, count);
      assert.ok(stats.unchanged <= count / 10, `${name}: ${stats.unchanged} of ${count} inputs equal a seed`);
      // a failure is a finding about the product (reported by npm run fuzz), not a harness error: it must carry what a report needs
      for (const { failure, input } of stats.failures) {
        assert.equal(failure.target, name);
        assert.ok(failure.message.length > 0 && failure.signature.startsWith(name + '|'));
        assert.ok(input.length >= 0);
      }
    }
    // the checker is really handed the outputs
    const c = new Checker(seeds.capture[0]);
    await targetByName('print')!.run(seeds.capture[0], c);
    assert.ok(c.checked > 100, `print checked ${c.checked} outputs`);
  });

  it('catches a target that throws on a marker byte, reports it once with a replayable input', async () => {
    const zeros = [new Uint8Array(64)];
    assert.equal(await runInput(throwsOnMarker, zeros[0]), null, 'the seed itself passes');
    const stats = await fuzzInProcess(throwsOnMarker, zeros, { seed: 1, count: 300 });
    assert.equal(stats.failures.length, 1, 'one distinct failure, however many inputs hit it');
    const [{ failure, input }] = stats.failures;
    assert.equal(failure.kind, 'exception');
    assert.equal(failure.target, 'fake-throw');
    assert.match(failure.message, /^RangeError: marker byte seen/);
    assert.ok(input.includes(MARKER), 'the saved input holds the marker');
    const again = await runInput(throwsOnMarker, input);
    assert.equal(again?.signature, failure.signature, 'replaying the saved input fails the same way');
  });

  it('catches NaN in a target output as an oracle failure, but not when the input itself says NaN', async () => {
    const stats = await fuzzInProcess(nanOnMarker, [new Uint8Array(64)], { seed: 2, count: 300 });
    assert.equal(stats.failures.length, 1);
    assert.equal(stats.failures[0].failure.kind, 'oracle');
    assert.match(stats.failures[0].failure.message, /fake line shows "NaN"/);
    const c = new Checker(new TextEncoder().encode('a payload spelling NaN'));
    c.text('hex dump', '0x0000:  4e61 4e  NaN');
    assert.throws(() => new Checker(new Uint8Array(1)).number('x', Infinity), OracleError);
    assert.throws(() => new Checker(new Uint8Array(1)).value('obj', { a: [{ b: 'undefined' }] }), /obj\.a\[0\]\.b shows "undefined"/);
  });
});
