/**
 * The Follow TCP Stream webview: a toolbar (mode: text / hex dump / raw; direction: both or one; save
 * either direction's bytes), a summary of the stream, and the virtualized chunk list (./list.ts).
 * Both directions in capture order, coloured by side with the theme's colours; the marks the engine
 * knows (bytes not captured, retransmitted copies, out-of-order segments, SYN/FIN/RST with both ends'
 * states) are lines of their own. Protocol: src/extension/follow/messages.ts.
 */
import type { FollowMeta } from '../../src/core/follow/page';
import type { FollowUiStrings } from '../../src/extension/follow/messages';
import { grouped } from '../../src/core/follow/render';
import { el } from '../common/dom';
import { fmt } from '../common/text';
import { body, refetch, relayout, resetList, reveal, scheduleRender, setCount } from './list';
import { app, channel, post, saved, state, type DirFilter, type Mode } from './state';

const toolbar = el('div', 'follow-toolbar');
const modeSelect = el('select', 'mode-select');
modeSelect.id = 'follow-mode';
const dirSelect = el('select', 'dir-select');
dirSelect.id = 'follow-dir';
const saveClient = el('button', 'btn secondary');
saveClient.id = 'save-client';
const saveServer = el('button', 'btn secondary');
saveServer.id = 'save-server';
toolbar.append(modeSelect, dirSelect, el('span', 'sep'), saveClient, saveServer);
const summary = el('div', 'follow-summary');
summary.setAttribute('aria-live', 'polite');
const notice = el('div', 'follow-notice');
notice.hidden = true;
app.append(toolbar, summary, body, notice);

function endpoint(e: { addr: string; port: number }): string {
  return (e.addr.includes(':') ? '[' + e.addr + ']' : e.addr) + ':' + e.port;
}

function showSummary(S: FollowUiStrings, m: FollowMeta): void {
  summary.textContent = '';
  const who = el('div', 'who');
  who.append(el('span', 'side-client who-client', fmt(S.client, endpoint(m.client))), el('span', 'who-sep', ' · '), el('span', 'side-server who-server', fmt(S.server, endpoint(m.server))));
  summary.append(who);
  const parts: string[] = [];
  for (const d of [0, 1] as const) {
    let t = fmt(S.summary, d === 0 ? S.sideClient : S.sideServer, d === 0 ? S.sideServer : S.sideClient, grouped(m.delivered[d]));
    if (m.missing[d]) t += fmt(S.summaryMissing, grouped(m.missing[d]));
    if (m.retransmitted[d]) t += fmt(S.summaryRetrans, grouped(m.retransmitted[d]));
    parts.push(t);
  }
  summary.append(el('div', 'totals', parts.join('; ')));
  if (m.lossy) summary.append(el('div', 'lossy', S.asciiLossy));
  if (!m.done) summary.append(el('div', 'reading', fmt(S.reading, grouped(m.chunkCount))));
  else if (m.chunkCount === 0) summary.append(el('div', 'reading', S.empty));
  else summary.append(el('div', 'hint', S.chooseHint));
}

function applyStrings(S: FollowUiStrings): void {
  modeSelect.textContent = '';
  for (const [v, label] of [['text', S.modeText], ['hex', S.modeHex], ['raw', S.modeRaw], ['http', S.modeHttp]] as const) {
    const o = el('option', undefined, label);
    o.value = v;
    modeSelect.append(o);
  }
  modeSelect.value = state.mode;
  modeSelect.setAttribute('aria-label', S.modeLabel);
  dirSelect.textContent = '';
  for (const [v, label] of [['both', S.dirBoth], ['0', S.dirClient], ['1', S.dirServer]] as const) {
    const o = el('option', undefined, label);
    o.value = v;
    dirSelect.append(o);
  }
  dirSelect.value = String(state.dir);
  dirSelect.setAttribute('aria-label', S.dirLabel);
  saveClient.textContent = S.saveClient;
  saveServer.textContent = S.saveServer;
  body.setAttribute('aria-label', S.listLabel);
}

modeSelect.addEventListener('change', () => {
  const was = state.mode;
  state.mode = modeSelect.value as Mode;
  // HTTP mode's pages carry the messages (and other modes' do not): the cached pages are asked for again
  if ((was === 'http') !== (state.mode === 'http')) refetch();
  else relayout();
});
dirSelect.addEventListener('change', () => {
  const v = dirSelect.value;
  state.dir = (v === '0' ? 0 : v === '1' ? 1 : 'both') as DirFilter;
  relayout();
});
saveClient.addEventListener('click', () => post({ type: 'save', dir: 0 }));
saveServer.addEventListener('click', () => post({ type: 'save', dir: 1 }));

let noticeTimer = 0;
function showNotice(text: string, severity: 'info' | 'error'): void {
  notice.textContent = text;
  notice.className = 'follow-notice ' + severity;
  notice.hidden = false;
  window.clearTimeout(noticeTimer);
  if (severity === 'info') noticeTimer = window.setTimeout(() => (notice.hidden = true), 6000);
}

channel
  .on('init', (m) => {
    const again = state.S !== undefined;
    if (again) resetList();
    state.S = m.strings;
    state.meta = m.meta;
    state.source = m.source;
    applyStrings(m.strings);
    showSummary(m.strings, m.meta);
    setCount(m.meta.chunkCount);
    if (!again && typeof saved.topChunk === 'number' && saved.topChunk > 0) reveal(saved.topChunk);
    scheduleRender();
  })
  .on('meta', (m) => {
    state.meta = m.meta;
    if (state.S) showSummary(state.S, m.meta);
    setCount(m.meta.chunkCount);
  })
  .on('reveal', (m) => reveal(m.chunk))
  .on('notice', (m) => showNotice(m.text, m.severity));

post({ type: 'ready' });
