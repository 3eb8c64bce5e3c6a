/** The sticky header of the flow graph: the lifelines in view, hosts over their ports. */
import { el } from '../common/dom';
import { body, headerCols, linesLayer } from './body';
import { visibleColumns } from './layout';
import { state } from './state';

/** What the header shows now (columns, width, graph version): redrawn only when it changes. */
let headerKey = '';

/** Draw it again at the next render (new graph, zoom, rows cleared). */
export function resetHeader(): void {
  headerKey = '';
}

/** Lifeline headers of the columns in view (hosts over their ports). */
export function renderHeader(): void {
  const L = state.L;
  if (!L) return;
  const { lifelines, hosts } = state;
  const [a, b] = visibleColumns(L, body.scrollLeft, body.clientWidth, 2);
  const key = `${a}:${b}:${L.colWidth}:${state.version}`;
  if (key === headerKey) return;
  headerKey = key;
  headerCols.textContent = '';
  linesLayer.hidden = lifelines.length === 0;
  if (b < a) return;
  const doneHosts = new Set<number>();
  for (let i = a; i <= b; i++) {
    const l = lifelines[i];
    if (!doneHosts.has(l.host)) {
      doneHosts.add(l.host);
      const h = hosts[l.host];
      const ids = h ? h.lifelines : [i];
      const first = ids[0];
      const last = ids[ids.length - 1];
      const hd = el('div', 'flow-host-header', h ? h.addr : l.label);
      hd.style.left = L.columnsLeft + first * L.colWidth + 4 + 'px';
      hd.style.width = (last - first + 1) * L.colWidth - 8 + 'px';
      hd.title = h ? h.addr : l.label;
      hd.setAttribute('aria-hidden', 'true');
      headerCols.append(hd);
    }
    const hd = el('div', 'flow-lifeline-header ' + l.role);
    hd.dataset.lifeline = String(i);
    hd.dataset.label = l.label;
    hd.title = l.app ? l.label + ' (' + l.app + ')' : l.label;
    // the whole "host:port" is the element's text (screen readers, tests); the host part is shown once above
    const hostPart = el('span', 'flow-sr-only', l.label.slice(0, l.label.length - l.port.length - 1));
    hd.append(hostPart, el('span', 'flow-port', ':' + l.port));
    // a data connection named by FTP's control connection: "FTP-DATA" beside the port
    if (l.app) hd.append(el('span', 'flow-port flow-app', ' ' + l.app));
    hd.style.left = L.columnsLeft + i * L.colWidth + 4 + 'px';
    hd.style.width = L.colWidth - 8 + 'px';
    headerCols.append(hd);
  }
}
