/**
 * The paged row cache both webviews use (media/common/pageCache.ts): one fetch per page however
 * often it is asked for, pages of an older view dropped when they arrive after `clear`, least
 * recently used pages evicted first, the rows in view spared.
 */
import * as assert from 'node:assert/strict';
import { PageCache } from '../media/common/pageCache';

type Page = { rows: number[] };

/** A cache whose loads the test answers by hand. */
function cache(pageSize = 10, maxPages = 3) {
  const c = new PageCache<Page>(pageSize, maxPages);
  const loads: { start: number; answer(p: Page | undefined): void; fail(): void }[] = [];
  const arrived: number[] = [];
  const fetch = (start: number): void =>
    c.fetch(
      start,
      () => new Promise<Page | undefined>((resolve, reject) => loads.push({ start, answer: resolve, fail: () => reject(new Error('cancelled')) })),
      () => arrived.push(start),
    );
  const page = (start: number): Page => ({ rows: Array.from({ length: pageSize }, (_, i) => start + i) });
  return { c, loads, arrived, fetch, page };
}
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('webviews: paged row cache', () => {
  it('fetches a page once while it is on its way or here, and finds its rows', async () => {
    const { c, loads, arrived, fetch, page } = cache();
    fetch(10);
    fetch(10);
    assert.equal(loads.length, 1);
    assert.equal(c.row(12), undefined);
    loads[0].answer(page(10));
    await settle();
    assert.deepEqual(arrived, [10]);
    assert.equal(c.row(12), 12);
    fetch(10);
    assert.equal(loads.length, 1);
  });

  it('drops a page that arrives after clear (an older view) and fetches it again', async () => {
    const { c, loads, arrived, fetch, page } = cache();
    fetch(0);
    c.clear();
    fetch(0); // the new view's page 0: a new load, not the old one
    assert.equal(loads.length, 2);
    loads[0].answer({ rows: [100, 101] }); // the old view's answer
    await settle();
    assert.equal(c.row(0), undefined);
    assert.deepEqual(arrived, []);
    loads[1].answer(page(0));
    await settle();
    assert.equal(c.row(0), 0);
  });

  it('asks again after a failed or empty load', async () => {
    const { loads, fetch } = cache();
    fetch(0);
    loads[0].fail();
    await settle();
    fetch(0);
    assert.equal(loads.length, 2);
    loads[1].answer(undefined);
    await settle();
    fetch(0);
    assert.equal(loads.length, 3);
  });

  it('evicts the least recently used pages, sparing those that overlap the rows in view', async () => {
    const { c, loads, fetch, page } = cache(10, 2);
    for (const s of [0, 10, 20, 30]) fetch(s);
    for (const l of loads) l.answer(page(l.start));
    await settle();
    c.row(0); // page 0 used last
    c.evict();
    assert.deepEqual([...c.entries()].map(([s]) => s).sort((a, b) => a - b), [0, 30]);
    for (const s of [10, 20]) fetch(s);
    for (const l of loads.slice(4)) l.answer(page(l.start));
    await settle();
    c.row(30);
    c.row(0);
    // rows 10..25 are in view: pages 10 and 20 stay even though they were used least recently
    c.evict(10, 25);
    assert.deepEqual([...c.entries()].map(([s]) => s).sort((a, b) => a - b), [10, 20]);
  });

  it('forgets short pages on demand (the end of a list that grew)', async () => {
    const { c, loads, fetch } = cache();
    fetch(0);
    loads[0].answer({ rows: [0, 1, 2] });
    await settle();
    c.dropWhere((p) => p.rows.length < 10);
    assert.equal(c.size, 0);
    fetch(0);
    assert.equal(loads.length, 2);
  });
});
