/**
 * The column chooser and the Info wording: a "Columns…" button opening a panel where each column
 * can be shown, hidden and moved (the host remembers the result per workspace: message `columns`),
 * and a select for the Info column's wording (tcpdump's or Wireshark's: message `infoStyle`, saved
 * in the setting captureLens.infoStyle). The list itself draws the columns (./list.ts).
 */
import type { ColumnId, InfoStyle, UiStrings } from '../../src/extension/capture/webviewMessages';
import { el } from '../common/dom';
import { COLUMN_DEFS, render, setColumns } from './list';
import { post, state } from './state';

export const infoStyleSelect = el('select', 'info-style-select');
infoStyleSelect.id = 'info-style';

export const columnsWrap = el('span', 'columns-wrap');
const columnsBtn = el('button', 'btn secondary');
columnsBtn.id = 'columns-button';
columnsBtn.setAttribute('aria-haspopup', 'dialog');
columnsBtn.setAttribute('aria-expanded', 'false');
const panel = el('div', 'columns-panel');
panel.id = 'columns-panel';
panel.setAttribute('role', 'dialog');
panel.hidden = true;
columnsWrap.append(columnsBtn, panel);

/** Every column in the panel's order: the shown ones in their order, then the hidden ones. */
function panelOrder(): ColumnId[] {
  const all = Object.keys(COLUMN_DEFS) as ColumnId[];
  return [...state.columns, ...all.filter((c) => !state.columns.includes(c))];
}

/** The new list of shown columns: apply it and let the host remember it. */
function choose(columns: ColumnId[]): void {
  if (columns.length === 0) return;
  setColumns(columns);
  post({ type: 'columns', columns });
  fillPanel();
}

function fillPanel(): void {
  const S = state.S;
  if (!S) return;
  panel.textContent = '';
  const order = panelOrder();
  for (const id of order) {
    const shown = state.columns.includes(id);
    const item = el('div', 'col-item');
    item.dataset.col = id;
    const box = el('input');
    box.type = 'checkbox';
    box.id = 'col-toggle-' + id;
    box.checked = shown;
    // the last column shown stays: a list without columns shows nothing to click
    box.disabled = shown && state.columns.length === 1;
    box.addEventListener('change', () => {
      choose(box.checked ? [...state.columns, id] : state.columns.filter((c) => c !== id));
    });
    const label = el('label', undefined, S[COLUMN_DEFS[id].label]);
    label.htmlFor = box.id;
    const up = el('button', 'btn secondary col-move', '↑');
    up.title = S.moveUp;
    up.setAttribute('aria-label', S.moveUp + ': ' + S[COLUMN_DEFS[id].label]);
    up.disabled = !shown || state.columns.indexOf(id) === 0;
    up.addEventListener('click', () => move(id, -1));
    const down = el('button', 'btn secondary col-move', '↓');
    down.title = S.moveDown;
    down.setAttribute('aria-label', S.moveDown + ': ' + S[COLUMN_DEFS[id].label]);
    down.disabled = !shown || state.columns.indexOf(id) === state.columns.length - 1;
    down.addEventListener('click', () => move(id, 1));
    item.append(box, label, up, down);
    panel.append(item);
  }
}

function move(id: ColumnId, by: -1 | 1): void {
  const cols = [...state.columns];
  const i = cols.indexOf(id);
  const j = i + by;
  if (i < 0 || j < 0 || j >= cols.length) return;
  [cols[i], cols[j]] = [cols[j], cols[i]];
  choose(cols);
  // keep the keyboard on the same button after the panel is rebuilt
  (panel.querySelector(`[data-col="${id}"] .col-move:nth-of-type(${by < 0 ? 1 : 2})`) as HTMLButtonElement | null)?.focus();
}

function open(show: boolean): void {
  panel.hidden = !show;
  columnsBtn.setAttribute('aria-expanded', String(show));
  if (show) {
    fillPanel();
    // the panel hangs from the button's right edge; when the toolbar wraps and puts the button near the
    // page's left edge that would reach past it (out of reach of the mouse): hang it from the left edge then
    panel.classList.remove('align-left');
    if (panel.getBoundingClientRect().left < 0) panel.classList.add('align-left');
    (panel.querySelector('input') as HTMLInputElement | null)?.focus();
  }
}

columnsBtn.addEventListener('click', () => open(panel.hidden));
panel.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') {
    open(false);
    columnsBtn.focus();
  }
});
document.addEventListener('mousedown', (e) => {
  if (!panel.hidden && !columnsWrap.contains(e.target as Node)) open(false);
});

infoStyleSelect.addEventListener('change', () => {
  const v = infoStyleSelect.value as InfoStyle;
  state.infoStyle = v;
  post({ type: 'infoStyle', value: v });
  render();
});

/** Localized texts (after init). */
export function applyColumnsStrings(s: UiStrings): void {
  columnsBtn.textContent = s.columns;
  columnsBtn.title = s.columnsTitle;
  panel.setAttribute('aria-label', s.columnsTitle);
  infoStyleSelect.textContent = '';
  for (const [v, label] of [['tcpdump', s.infoStyleTcpdump], ['wireshark', s.infoStyleWireshark]] as const) {
    const o = el('option', undefined, label);
    o.value = v;
    infoStyleSelect.append(o);
  }
  infoStyleSelect.value = state.infoStyle;
  infoStyleSelect.setAttribute('aria-label', s.infoStyle);
  infoStyleSelect.title = s.infoStyle;
  if (!panel.hidden) fillPanel();
}

/** The host's settings: the Info wording and, when given, the columns (another editor changed them). */
export function applyColumnSettings(infoStyle: InfoStyle | undefined, columns: ColumnId[] | undefined): void {
  if (infoStyle !== undefined && infoStyle !== state.infoStyle) {
    state.infoStyle = infoStyle;
    infoStyleSelect.value = infoStyle;
    render();
  }
  if (columns !== undefined) {
    setColumns(columns);
    if (!panel.hidden) fillPanel();
  }
}
