// Opens files in a real VS Code (the e2e harness: code-server + Chromium) and saves a screenshot of each into
// test-results/e2e/ (after one of the bare workbench).
//   node scripts/run-ts.mjs scripts/e2e-screenshots.ts [--folder] [--workspace DIR] [--extra FILE]… [--theme NAME] [FILE…]
//   node scripts/run-ts.mjs scripts/e2e-screenshots.ts --live     # as root, with tcpdump: the README's live capture shots
//
// --live: "Start Capture…" on lo with a ring limit of 1,000 packets, a Node server and client on a port
// chosen here (as test/e2e/live.e2e.ts does): the rows appearing while the file is followed
// (live-follow-established), 2,000 request/response pairs later the ring limit's message
// (live-follow-ring), the client's close (live-follow-time-wait), Stop Capture (live-follow-settled).
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';

import { runCommandRetried, SessionOptions, withSession, type Session, type WebviewFrame } from '../test/e2e/harness';

const INPUT = '.quick-input-widget .quick-input-box input';

/** Types `value` into the input box titled `title` and presses Enter. */
async function answer(s: Session, title: string, value?: string): Promise<void> {
  await s.page.locator('.quick-input-widget .quick-input-title').filter({ hasText: title }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await s.page.waitForTimeout(150);
  if (value !== undefined) await s.page.locator(INPUT).fill(value);
  await s.page.keyboard.press('Enter');
}

async function statusText(frame: WebviewFrame, re: RegExp, what: string): Promise<void> {
  await frame.locator('.status-text').filter({ hasText: re }).first().waitFor({ state: 'visible', timeout: 30_000 }).catch(() => {
    throw new Error(`the status line did not say ${what}`);
  });
}

async function rowsWith(s: Session, frame: WebviewFrame, text: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    const rows = (await frame.locator('#packet-grid .row:not(.loading)').allInnerTexts().catch(() => [])).join('\n');
    if (rows.includes(text)) return;
    await s.page.waitForTimeout(250);
  }
  throw new Error(`no row with ${text}`);
}

async function live(): Promise<void> {
  if (spawnSync('tcpdump', ['--version']).error) throw new Error('--live needs tcpdump');
  if (process.getuid?.() !== 0) throw new Error('--live needs root (tcpdump on lo)');
  const server = net.createServer((sock) => {
    sock.on('data', (d) => sock.write(d));
    sock.on('end', () => sock.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  try {
    await withSession({}, async (s) => {
      await runCommandRetried(s, 'Capture Lens: Start Capture…');
      const lo = s.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: 'Loopback' }).first();
      await lo.waitFor({ state: 'visible', timeout: 15_000 });
      await lo.click();
      await answer(s, 'Capture filter', `tcp port ${port}`);
      await answer(s, 'Snap length');
      await answer(s, 'Packet limit');
      await answer(s, 'Ring limit', '1000');
      const frame = await s.webviewFrame('#packet-grid', { timeout: 30_000 });
      await statusText(frame, /still being written/, 'following');
      const client = net.connect(port, '127.0.0.1');
      client.setNoDelay(true);
      await new Promise<void>((r) => client.once('connect', () => r()));
      const echo = (text: string) =>
        new Promise<void>((r) => {
          client.once('data', () => r());
          client.write(text);
        });
      await echo('hello');
      await rowsWith(s, frame, 'ESTABLISHED');
      await s.screenshot('live-follow-established');
      // request/response pairs (about 3 packets each) until the ring limit drops the oldest
      for (let i = 0; i < 2000; i++) await echo(`request ${i}`);
      await statusText(frame, /dropped/, 'that older packets were dropped');
      await s.screenshot('live-follow-ring');
      const closed = new Promise<void>((r) => client.once('close', () => r()));
      client.end();
      await closed;
      await rowsWith(s, frame, 'TIME_WAIT');
      await s.screenshot('live-follow-time-wait');
      await runCommandRetried(s, 'Capture Lens: Stop Capture');
      await statusText(frame, /dropped by the ring limit/, 'the settled view');
      await s.screenshot('live-follow-settled');
    });
  } finally {
    server.close();
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--live')) return live();
  const files: string[] = [];
  const options: SessionOptions = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--folder') options.install = 'folder';
    else if (argv[i] === '--workspace') options.workspace = argv[++i];
    else if (argv[i] === '--extra') (options.extraFiles ??= []).push(argv[++i]);
    else if (argv[i] === '--theme') options.settings = { ...options.settings, 'workbench.colorTheme': argv[++i] };
    else files.push(argv[i]);
  }
  await withSession(options, async (s) => {
    await s.screenshot('workbench');
    for (const f of files) {
      await s.openFile(f);
      console.log(`${f}: language mode "${await s.languageMode()}"`);
      await s.screenshot(`open-${f}`);
    }
  });
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
