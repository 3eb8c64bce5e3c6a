/**
 * The bottom pane's tabs (details / connections) and the connections table: one row per TCP
 * connection; choosing one filters the packet list to its stream and shows its performance section
 * (issue 14: the verdicts with their evidence packets, which select the packet, and what to change).
 */
import type { ConnJson } from '../../src/core/tcp/json';
import type { ConnPerfView, UiStrings } from '../../src/extension/capture/webviewMessages';
import { el } from '../common/dom';
import { detailsPane } from './details';
import { applyFilter, filterInput } from './filter';
import { bytesText } from './format';
import { goTo, saveState } from './list';
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
  // issue 14: RTT, throughput, retransmitted share (filled by `connsPerf`), and a Graphs button
  for (const h of [S.connRtt, S.connThroughput, S.connRetx, S.connLimitedBy, S.graphs]) hr.append(el('th', 'perf-col', h));
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
      // an FTP data connection says so (named from its control connection's PASV / PORT lines)
      c.app !== undefined ? c.server + ' (' + c.app + ')' : c.server,
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
    for (const k of ['rtt', 'tput', 'retx', 'limit']) {
      const td = el('td', 'perf-cell', '…');
      td.dataset.perf = k;
      tr.append(td);
    }
    const g = el('button', 'btn secondary graphs-btn', S.graphs);
    g.type = 'button';
    g.setAttribute('aria-label', S.connGraphsOf.replace('{0}', String(c.stream)));
    g.addEventListener('click', (e) => {
      e.stopPropagation();
      post({ type: 'command', command: 'graphs', stream: c.stream });
    });
    const gtd = el('td');
    gtd.append(g);
    tr.append(gtd);
    // Follow TCP Stream of this row's connection (the row itself filters the list)
    const follow = el('button', 'conn-follow', S.followStream);
    follow.dataset.follow = String(c.stream);
    follow.title = S.followStream;
    tr.cells[0].append(' ', follow);
    tbody.append(tr);
  }
  table.append(thead, tbody);
  connsPane.append(table, perfSection);
  // a single connection is the one to look at; otherwise the one chosen before the table was redrawn
  if (list.length === 1) chosenStream = list[0].stream;
  else if (!list.some((c) => c.stream === chosenStream)) chosenStream = -1;
  tbody.querySelector(`tr[data-stream="${chosenStream}"]`)?.classList.add('chosen');
  if (perfCells) fillConnsPerf(perfCells);
  else renderPerfSection();
  const choose = (tr: HTMLElement | null): void => {
    if (!tr || tr.dataset.stream === undefined) return;
    tbody.querySelectorAll('tr.chosen').forEach((x) => x.classList.remove('chosen'));
    tr.classList.add('chosen');
    chosenStream = Number(tr.dataset.stream);
    renderPerfSection();
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
    if ((e.target as HTMLElement).tagName === 'BUTTON') return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      choose((e.target as HTMLElement).closest('tr'));
    } else if (e.key === 'f' || e.key === 'F') {
      const tr = (e.target as HTMLElement).closest('tr');
      if (tr?.dataset.stream !== undefined) post({ type: 'follow', stream: Number(tr.dataset.stream) });
    }
  });
}

function rateText(bps: number): string {
  return bps >= 1e6 ? (bps / 1e6).toFixed(2) + ' MB/s' : bps >= 1e3 ? (bps / 1e3).toFixed(1) + ' kB/s' : bps + ' B/s';
}

/** The connection whose performance section shows (-1: none chosen), and the last cells the host sent. */
let chosenStream = -1;
let perfCells: ConnPerfView[] | undefined;

/** Issue 14's section under the table: the chosen connection's verdicts, evidence packets and advice. */
const perfSection = el('section', 'conn-perf');
perfSection.id = 'conn-perf';
perfSection.setAttribute('aria-live', 'polite');

function renderPerfSection(): void {
  perfSection.textContent = '';
  const S = state.S;
  if (!S) return;
  if (chosenStream < 0) {
    perfSection.append(el('div', 'hint', S.connPerfHint));
    return;
  }
  perfSection.append(el('h3', undefined, S.connPerfTitle.replace('{0}', String(chosenStream))));
  const c = perfCells?.find((x) => x.stream === chosenStream);
  if (!perfCells) {
    perfSection.append(el('div', 'hint', S.connPerfPending));
    return;
  }
  // the table's "Limited by" cell again, where the verdicts are read (the table is wide: its last columns scroll)
  if (c && c.limitedBy) perfSection.append(el('div', 'verdict-limit', S.connLimitedBy + ': ' + c.limitedByText + ' (' + c.limitedByWho + ')'));
  if (!c || c.verdictViews.length === 0) {
    perfSection.append(el('div', 'verdict-none', S.connPerfNone));
    return;
  }
  for (const v of c.verdictViews) {
    const box = el('div', 'verdict ' + v.severity);
    box.dataset.kind = v.kind;
    box.append(el('div', 'verdict-title', v.who + ': ' + v.title));
    for (const e of v.evidence) box.append(el('p', 'verdict-evidence', e));
    box.append(el('p', 'verdict-advice', S.connPerfAdvice.replace('{0}', v.advice)));
    if (v.packets.length > 0) {
      const row = el('div', 'verdict-packets');
      for (const p of v.packets) {
        const b = el('button', 'btn secondary verdict-packet', S.connPerfPacket.replace('{0}', String(p)));
        b.type = 'button';
        b.dataset.packet = String(p);
        b.addEventListener('click', () => goTo(p));
        row.append(b);
      }
      box.append(row);
    }
    perfSection.append(box);
  }
}

/** Issue 14's cells of the rows shown: RTT, throughput, retransmitted share (client → server / server → client), limited by. */
export function fillConnsPerf(cells: ConnPerfView[]): void {
  perfCells = cells;
  renderPerfSection();
  const byStream = new Map(cells.map((c) => [c.stream, c]));
  connsPane.querySelectorAll<HTMLTableRowElement>('tbody tr[data-stream]').forEach((tr) => {
    const c = byStream.get(Number(tr.dataset.stream));
    const set = (k: string, text: string): void => {
      const td = tr.querySelector<HTMLElement>(`td[data-perf="${k}"]`);
      if (td) td.textContent = text;
    };
    if (!c) {
      for (const k of ['rtt', 'tput', 'retx', 'limit']) set(k, '-');
      return;
    }
    set('limit', c.limitedByText);
    const limit = tr.querySelector<HTMLElement>('td[data-perf="limit"]');
    if (limit && c.limitedByWho) limit.title = c.limitedByWho;
    set('rtt', c.rttMs === null ? '-' : c.rttMs.toFixed(c.rttMs >= 100 ? 0 : c.rttMs >= 1 ? 1 : 3) + ' ms');
    set('tput', rateText(c.throughput[0]) + ' / ' + rateText(c.throughput[1]));
    set('retx', (c.retx[0] * 100).toFixed(1) + ' % / ' + (c.retx[1] * 100).toFixed(1) + ' %');
  });
}
