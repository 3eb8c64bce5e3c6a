/**
 * The decoding worker's scheduling (issue 16, src/worker/scheduler.ts): indexing runs in slices and
 * the editor's rows and details come first. Order is asserted, never time: what runs before what,
 * and how many packets were indexed while a request was being answered.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { conversations } from '../src/core/synth/conversations';
import { pcapHeader, pcapRecord } from '../src/core/synth/writers';
import { fileInput } from '../src/worker/fileInput';
import type { FromWorker } from '../src/worker/messages';
import { Scheduler, nextTurn } from '../src/worker/scheduler';
import { serve } from '../src/worker/serve';

const turn = (): Promise<void> => new Promise((r) => nextTurn(r));

describe('worker scheduling: indexing slices, requests first', () => {
  it('between(): goes on after one turn when no request holds, and only after the urgent request settled when one does', async () => {
    const s = new Scheduler(4, 60_000);
    const order: string[] = [];
    s.between(() => order.push('slice 1'));
    await turn();
    await turn();
    assert.deepEqual(order, ['slice 1']);

    let finish!: () => void;
    const work = s.urgent(
      () =>
        new Promise<string>((r) => {
          finish = () => r('rows');
        }),
    );
    s.between(() => order.push('slice 2'));
    for (let i = 0; i < 5; i++) await turn();
    assert.deepEqual(order, ['slice 1'], 'indexing waits while the request is answered');
    assert.equal(s.holding, true);
    finish();
    order.push(await work);
    for (let i = 0; i < 3; i++) await turn();
    assert.deepEqual(order, ['slice 1', 'rows', 'slice 2'], 'the reply first, then indexing');
    assert.equal(s.holding, false);
  });

  it('a hold does not outlive its request: one that never settles lets indexing go on after maxHoldMs', async () => {
    const s = new Scheduler(4, 20);
    void s.urgent(() => new Promise<void>(() => undefined));
    const resumed = new Promise<string>((r) => s.between(() => r('indexing went on')));
    assert.equal(await resumed, 'indexing went on');
  });

  describe('in the worker (serve, in-process)', () => {
    let dir = '';
    let file = '';
    /** Packets in the backlog file (the generator's count, about 60,000). */
    let TOTAL = 0;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capture-lens-schedule-'));
      file = path.join(dir, 'backlog.pcap');
      const parts: Uint8Array[] = [pcapHeader()];
      for (const p of conversations({ connections: 600, packets: 60_000, seed: 3, segmentSize: 120 })) {
        parts.push(pcapRecord(p.tsSec, Math.floor(p.tsNsec / 1000), p.frame));
      }
      TOTAL = parts.length - 1;
      fs.writeFileSync(file, Buffer.concat(parts));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('a rows request that arrives behind a backlog is answered before it, with no packet indexed meanwhile', async () => {
      const posted: FromWorker[] = [];
      let receive: (msg: unknown) => void = () => undefined;
      let asked = false;
      /** Sends the editor's requests between two slices, as a message arriving during a slice is dispatched. */
      class Probe extends Scheduler {
        override between(resume: () => void): void {
          const p = [...posted].reverse().find((m) => m.type === 'progress');
          if (!asked && p?.type === 'progress' && p.progress.packets >= 256) {
            asked = true;
            // once the reader has stopped (the rest of its 64 KiB piece delivered), before the turn that resumes it
            nextTurn(() => {
              receive({ type: 'stats', id: 2 });
              receive({ type: 'rows', id: 3, start: 0, count: 256 });
              receive({ type: 'details', id: 4, index: 100 });
            });
          }
          super.between(resume);
        }
      }
      const done = new Promise<void>((resolve) => {
        receive = serve({
          post: (m) => {
            posted.push(m);
            if (m.type === 'progress' && m.progress.done) resolve();
          },
          exit: () => undefined,
          input: (m) => fileInput(m.path!),
          scheduler: new Probe(1),
        });
      });
      receive({ type: 'open', id: 1, path: file, progressMs: 1, follow: true });
      const all = new Promise<void>((resolve, reject) => {
        const deadline = Date.now() + 60_000;
        const check = (): void => {
          const p = posted.filter((m) => m.type === 'progress').at(-1);
          if (p?.type === 'progress' && p.progress.packets >= TOTAL) resolve();
          else if (Date.now() > deadline) reject(new Error(`not every packet indexed: ${JSON.stringify(p)}`));
          else setTimeout(check, 5);
        };
        check();
      });
      try {
        await all;
      } finally {
        // settle: following ends (its timers would keep mocha alive)
        receive({ type: 'settle' });
      }
      await done;
      assert.ok(asked, 'the requests were sent while indexing');
      const at = (id: number) => posted.findIndex((m) => 'id' in m && m.id === id);
      const stats = posted[at(2)];
      const rows = posted[at(3)];
      const details = posted[at(4)];
      assert.equal(stats?.type, 'stats');
      assert.equal(rows?.type, 'rows', JSON.stringify(rows).slice(0, 200));
      assert.equal(details?.type, 'details', JSON.stringify(details).slice(0, 200));
      if (stats?.type !== 'stats' || rows?.type !== 'rows' || details?.type !== 'details') return;
      assert.ok(stats.packets < TOTAL, `the backlog was not indexed yet (${stats.packets} of ${TOTAL})`);
      assert.equal(rows.rows.length, 256);
      assert.equal(rows.rows[255].index, 255);
      assert.equal(details.details.index, 100);
      // no slice of indexing ran while the rows were read and decoded (before: one per file read)
      assert.equal(rows.total, stats.packets, 'packets indexed while the rows request was answered');
      const firstFull = posted.findIndex((m) => m.type === 'progress' && m.progress.packets === TOTAL);
      assert.ok(at(3) < firstFull && at(4) < firstFull, 'answered before the backlog was indexed');
      const last = posted.filter((m) => m.type === 'progress').at(-1);
      assert.ok(last?.type === 'progress' && last.progress.done && last.progress.packets === TOTAL, 'every packet indexed');
      receive({ type: 'close', id: 9 });
    });
  });
});
