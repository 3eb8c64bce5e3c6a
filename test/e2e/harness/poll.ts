/**
 * Waiting for what the workbench and its webviews show some time after an action: they render asynchronously, in
 * other processes, so a test reads again until the value is the one it waits for. Every e2e file used to carry its
 * own copy of this loop (10 to 20 s, throwing or handing back the last value, some reading again after an error);
 * this one keeps the most forgiving behaviour of the copies and the most telling failure.
 */
import { sleep } from './processes';

/**
 * Reads `get` until `ok` accepts its value and returns that value. A read that throws (a webview's frame detached
 * under the query, the page navigating away after "Reload Window") is read again. After `timeout` ms it throws an
 * error naming `what`, the last value read and the last error, so the failure says what was on screen.
 *
 * Default 20 s: the longest of the copies' (perf-verdicts.e2e.ts; the others waited 10 or 15 s). A longer wait only
 * lets a loaded machine pass; a wrong value still fails. Polled every 150 ms, as most copies did.
 */
export async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeout = 20_000, interval = 150): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: { value: T } | undefined;
  let error: unknown;
  for (;;) {
    try {
      const value = await get();
      last = { value };
      error = undefined;
      if (ok(value)) return value;
    } catch (e) {
      error = e;
    }
    if (Date.now() > deadline) {
      const seen = last ? `still ${JSON.stringify(last.value)}` : 'never read';
      throw new Error(`${what}: ${seen} after ${timeout} ms${error ? ` (last read failed: ${String(error instanceof Error ? error.message : error).split('\n')[0]})` : ''}`);
    }
    await sleep(interval);
  }
}
