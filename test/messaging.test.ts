/**
 * The message toolkit of the three channels (src/core/messaging.ts): request/reply correlation by
 * id and reply type, dispatch by type with replies from handlers, errors, timeouts, cancellation and
 * the validation of what arrives — two ends wired back to back, as host and webview (or worker) are.
 */
import * as assert from 'node:assert/strict';
import { MessageHandler, RequestCancelled, RequestTimeout } from '../src/core/messaging';

// A channel with a request each way (like the flow panel's): A asks `get` → `got`, B asks `draw` → `drawn`.
type AToB = { type: 'get'; id: number; n: number } | { type: 'drawn'; id: number; ok: boolean } | { type: 'hello' };
type BToA = { type: 'got'; id: number; value: number } | { type: 'draw'; id: number; what: string } | { type: 'fail'; id?: number; message: string } | { type: 'news'; text: string };
const REPLIES = { get: 'got', draw: 'drawn' } as const;
type Replies = typeof REPLIES;

function validateAtB(raw: unknown): AToB | null {
  const m = raw as Partial<Record<string, unknown>> | null;
  if (!m || typeof m !== 'object') return null;
  if (m.type === 'get' && typeof m.id === 'number' && typeof m.n === 'number') return { type: 'get', id: m.id, n: m.n };
  if (m.type === 'drawn' && typeof m.id === 'number' && typeof m.ok === 'boolean') return { type: 'drawn', id: m.id, ok: m.ok };
  if (m.type === 'hello') return { type: 'hello' };
  return null;
}

/** Two ends; messages cross when `flush` is called (or at once with `auto`), so tests can reorder and drop them. */
function pair(opts: { auto?: boolean } = {}) {
  const toB: unknown[] = [];
  const toA: unknown[] = [];
  const timers: { fn: () => void; ms: number; live: boolean }[] = [];
  const setTimer = (fn: () => void, ms: number): (() => void) => {
    const t = { fn, ms, live: true };
    timers.push(t);
    return () => (t.live = false);
  };
  const errors: unknown[] = [];
  const unhandled: string[] = [];
  let b: MessageHandler<BToA, AToB, Replies>;
  const a = new MessageHandler<AToB, BToA, Replies>({
    post: (m) => (opts.auto ? void b.receive(structuredClone(m)) : toB.push(structuredClone(m))),
    replies: REPLIES,
    errorType: 'fail',
    setTimer,
    onUnhandled: (m) => unhandled.push('a:' + m.type),
  });
  b = new MessageHandler<BToA, AToB, Replies>({
    post: (m) => (opts.auto ? void a.receive(structuredClone(m)) : toA.push(structuredClone(m))),
    replies: REPLIES,
    validate: validateAtB,
    onError: (e) => errors.push(e),
    onUnhandled: (m) => unhandled.push('b:' + m.type),
    setTimer,
  });
  // deliver until quiet; a handler still waiting for its answer does not hold the others up
  const flush = async (): Promise<void> => {
    do {
      for (const m of toB.splice(0)) void b.receive(m);
      for (const m of toA.splice(0)) void a.receive(m);
      await new Promise((r) => setImmediate(r));
    } while (toA.length > 0 || toB.length > 0);
  };
  return { a, b, toA, toB, timers, errors, unhandled, flush };
}

describe('message toolkit (src/core/messaging.ts)', () => {
  it('answers a request with what the handler returns, under the request id and the reply type', async () => {
    const { a, b, toA, flush } = pair();
    b.on('get', (m) => ({ value: m.n * 2 }));
    const p1 = a.request('get', { n: 1 });
    const p2 = a.request('get', { n: 20 });
    await flush();
    assert.deepEqual(await p1, { type: 'got', id: 1, value: 2 });
    assert.deepEqual(await p2, { type: 'got', id: 2, value: 40 });
    assert.equal(a.pendingCount, 0);
    assert.equal(toA.length, 0);
  });

  it('matches replies by id even when they come back in another order', async () => {
    const { a, b, flush } = pair();
    const answers: ((v: { value: number }) => void)[] = [];
    b.on('get', () => new Promise<{ value: number }>((r) => answers.push(r)));
    const p1 = a.request('get', { n: 1 });
    const p2 = a.request('get', { n: 2 });
    await flush();
    assert.equal(answers.length, 2);
    answers[1]({ value: 20 }); // the second request is answered first
    answers[0]({ value: 10 });
    await flush();
    assert.equal((await p1).value, 10);
    assert.equal((await p2).value, 20);
  });

  it('does not take the other end’s request for a reply when the ids collide (requests both ways)', async () => {
    const { a, b, flush } = pair();
    const drawn: string[] = [];
    a.on('draw', (m) => {
      drawn.push(m.what);
      return { ok: true };
    });
    b.on('get', (m) => ({ value: m.n }));
    const get = a.request('get', { n: 7 }); // id 1 at A
    const draw = b.request('draw', { what: 'svg' }); // id 1 at B
    await flush();
    assert.deepEqual(await get, { type: 'got', id: 1, value: 7 });
    assert.deepEqual(await draw, { type: 'drawn', id: 1, ok: true });
    assert.deepEqual(drawn, ['svg']);
  });

  it('rejects a request with the other end’s error message, and reports a throwing handler', async () => {
    const { a, b, errors, flush } = pair();
    b.on('get', () => {
      throw new Error('boom');
    });
    const p = a.request('get', { n: 1 });
    const settled = p.then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    // B's handler threw: B reports it (onError); A gets its answer through B's error message
    await flush();
    assert.equal(errors.length, 1);
    assert.equal((errors[0] as Error).message, 'boom');
    b.send({ type: 'fail', id: 1, message: 'no such packet' });
    await flush();
    assert.equal(await settled, 'no such packet');
  });

  it('drops malformed messages before any handler sees them', async () => {
    const { b, unhandled } = pair();
    const seen: unknown[] = [];
    b.on('get', (m) => {
      seen.push(m);
      return { value: 0 };
    });
    for (const raw of [null, 42, 'get', { type: 'get' }, { type: 'get', id: '1', n: 2 }, { type: 'get', id: 1, n: '2' }, { type: 'other', id: 1 }]) await b.receive(raw);
    assert.deepEqual(seen, []);
    assert.deepEqual(unhandled, []);
    await b.receive({ type: 'hello', extra: 'dropped by validate' });
    assert.deepEqual(unhandled, ['b:hello']);
  });

  it('posts no reply when the handler returns nothing (a stale request), and ignores a late reply', async () => {
    const { a, b, toA, unhandled, flush } = pair();
    b.on('get', () => undefined);
    const p = a.request('get', { n: 1 });
    await flush();
    assert.equal(toA.length, 0);
    assert.equal(a.pendingCount, 1);
    a.cancelAll('new graph');
    await assert.rejects(p, (e: unknown) => e instanceof RequestCancelled && e.message === 'new graph');
    // the reply arrives after all: no request waits for it, no handler for `got`
    await a.receive({ type: 'got', id: 1, value: 1 });
    assert.deepEqual(unhandled, ['a:got']);
  });

  it('times out with the timer it is given, and a reply after that is not taken', async () => {
    const { a, b, timers, flush } = pair();
    let answer: ((v: { value: number }) => void) | undefined;
    b.on('get', () => new Promise<{ value: number }>((r) => (answer = r)));
    const p = a.request('get', { n: 1 }, { timeoutMs: 30_000 });
    await flush();
    assert.equal(timers.length, 1);
    assert.equal(timers[0].ms, 30_000);
    timers[0].fn();
    await assert.rejects(p, (e: unknown) => e instanceof RequestTimeout);
    answer?.({ value: 5 });
    await flush();
    assert.equal(a.pendingCount, 0);
    // a reply in time stops its timer
    const q = a.request('get', { n: 2 }, { timeoutMs: 10 });
    await flush();
    answer?.({ value: 6 });
    await flush();
    assert.equal((await q).value, 6);
    assert.equal(timers[1].live, false);
  });

  it('after close, rejects what is pending and every later request', async () => {
    const { a } = pair();
    const p = a.request('get', { n: 1 });
    a.close('the capture was closed');
    await assert.rejects(p, /the capture was closed/);
    await assert.rejects(a.request('get', { n: 2 }), /the capture was closed/);
  });

  it('rejects a request that could not be sent, and forgets it', async () => {
    const a = new MessageHandler<AToB, BToA, Replies>({
      post: () => {
        throw new Error('could not be cloned');
      },
      replies: REPLIES,
    });
    await assert.rejects(a.request('get', { n: 1 }), /could not be cloned/);
    assert.equal(a.pendingCount, 0);
  });

  it('round-trips through structured clone with handlers on both ends', async () => {
    const { a, b } = pair({ auto: true });
    b.on('get', async (m) => ({ value: m.n + 1 }));
    assert.equal((await a.request('get', { n: 41 })).value, 42);
  });
});
