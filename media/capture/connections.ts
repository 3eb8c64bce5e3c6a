/**
 * The bottom pane's tabs (details / connections) and the connections table: one row per TCP
 * connection; choosing one filters the packet list to its stream.
 */
import type { ConnJson } from '../../src/core/tcp/json';
import type { UiStrings } from '../../src/extension/capture/webviewMessages';
import { el } from '../common/dom';
import { detailsPane } from './details';
import { applyFilter, filterInput } from './filter';
import { bytesText } from './format';
import { saveState } from './list';
import { post, state, type Tab } from './state';

export const tabs = el('div', 'tabs');
tabs.setAttribute('role', 'tablist');
const tabDetails = el('button', 'tab');
tabDetails.id = 'tab-details';
tabDetails.setAttribute('role', 'tab');
const tabConns = el('button', 'tab');
tabConns.id = 'tab-conns';
tabConns.setAttribute('role', 'tab');
tabs.append(tabDetails, tabConns);

export const connsPane = el('div', 'pane conns-pane');
connsPane.setAttribute('role', 'tabpanel');
connsPane.id = 'connections';

export function applyConnsStrings(s: UiStrings): void {
  tabDetails.textContent = s.tabDetails;
  tabConns.textContent = s.tabConnections;
}

export function showTab(t: Tab): void {
  state.tab = t;
  tabDetails.setAttribute('aria-selected', String(t === 'details'));
  tabConns.setAttribute('aria-selected', String(t === 'conns'));
  tabDetails.classList.toggle('active', t === 'details');
  tabConns.classList.toggle('active', t === 'conns');
  detailsPane.hidden = t !== 'details';
  connsPane.hidden = t !== 'conns';
  if (t === 'conns' && !state.connsRequested) {
    state.connsRequested = true;
    post({ type: 'conns' });
  }
  saveState();
}
tabDetails.addEventListener('click', () => showTab('details'));
tabConns.addEventListener('click', () => showTab('conns'));

export function renderConns(list: ConnJson[]): void {
  connsPane.textContent = '';
  const S = state.S;
  if (!S) return;
  if (list.length === 0) {
    connsPane.append(el('div', 'empty', S.connNone));
    return;
  }
  connsPane.append(el('div', 'hint', S.connHint));
  const zh = document.documentElement.lang.toLowerCase().startsWith('zh');
  const table = el('table', 'conns');
  const thead = el('thead');
  const hr = el('tr');
  for (const h of [S.connStream, S.connClient, S.connServer, S.connState, S.connHistory, S.connFinal, S.connPackets, S.connBytes, S.connDuration, S.connProblems]) hr.append(el('th', undefined, h));
  thead.append(hr);
  const tbody = el('tbody');
  for (const c of list) {
    const tr = el('tr', c.problems.length > 0 ? 'has-problems' : '');
    tr.tabIndex = 0;
    tr.dataset.stream = String(c.stream);
    const kinds: string[] = [];
    for (const p of c.problems) if (!kinds.includes(p.kind)) kinds.push(p.kind);
    const cells = [
      String(c.stream),
      c.client,
      c.server,
      c.connState,
      c.history === '' ? '-' : c.history,
      c.clientState + ' / ' + c.serverState,
      c.packets.client + ' / ' + c.packets.server,
      bytesText(c.bytes.client) + ' / ' + bytesText(c.bytes.server),
      c.duration.toFixed(6) + ' s',
      kinds.length === 0 ? '-' : kinds.join(', '),
    ];
    cells.forEach((text, i) => {
      const td = el('td', i === 9 && kinds.length > 0 ? 'problems' : undefined, text);
      if (i === 9 && c.problems.length > 0) td.title = c.problems.map((p) => '#' + p.packet + ' ' + (zh ? p.messageZh : p.message)).join('\n');
      tr.append(td);
    });
    // Follow TCP Stream of this row's connection (the row itself filters the list)
    const follow = el('button', 'conn-follow', S.followStream);
    follow.dataset.follow = String(c.stream);
    follow.title = S.followStream;
    tr.cells[0].append(' ', follow);
    tbody.append(tr);
  }
  table.append(thead, tbody);
  connsPane.append(table);
  const choose = (tr: HTMLElement | null): void => {
    if (!tr || tr.dataset.stream === undefined) return;
    tbody.querySelectorAll('tr.chosen').forEach((x) => x.classList.remove('chosen'));
    tr.classList.add('chosen');
    filterInput.value = 'stream ' + tr.dataset.stream;
    applyFilter();
  };
  tbody.addEventListener('click', (e) => {
    const f = (e.target as HTMLElement).closest('button.conn-follow') as HTMLElement | null;
    if (f && f.dataset.follow !== undefined) {
      post({ type: 'follow', stream: Number(f.dataset.follow) });
      return;
    }
    choose((e.target as HTMLElement).closest('tr'));
  });
  tbody.addEventListener('keydown', (e) => {
    if ((e.target as HTMLElement).closest('button.conn-follow')) return; // the button's own click
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      choose((e.target as HTMLElement).closest('tr'));
    } else if (e.key === 'f' || e.key === 'F') {
      const tr = (e.target as HTMLElement).closest('tr');
      if (tr?.dataset.stream !== undefined) post({ type: 'follow', stream: Number(tr.dataset.stream) });
    }
  });
}
