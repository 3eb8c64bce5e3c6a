/**
 * The details pane: the selected packet's field tree (expand/collapse, keyboard), the chosen
 * field's explanation, and beside them the packet's bytes (./bytes.ts), linked both ways.
 */
import type { DetailNode, UiStrings } from '../../src/extension/capture/webviewMessages';
import { el } from '../common/dom';
import { bytesBox, bytesStatus, highlight, onByteField, renderBytes } from './bytes';
import { byteOwners, fieldRange, flatten, type FlatField } from './fields';
import { state } from './state';

export const detailsPane = el('div', 'pane details-pane');
detailsPane.setAttribute('role', 'tabpanel');
const treeBox = el('div', 'tree');
treeBox.id = 'details-tree';
treeBox.setAttribute('role', 'tree');
treeBox.tabIndex = 0;
const explainBox = el('div', 'explain');
explainBox.id = 'explain';
explainBox.setAttribute('aria-live', 'polite');
const leftCol = el('div', 'left-col');
leftCol.append(treeBox, explainBox);
const rightCol = el('div', 'right-col');
rightCol.append(bytesBox, bytesStatus);
detailsPane.append(leftCol, rightCol);

let treeItems: HTMLElement[] = [];
/** Fields opened or closed by the user, by name (kept from packet to packet). */
const expanded = new Map<string, boolean>();

export function applyDetailsStrings(s: UiStrings): void {
  treeBox.setAttribute('aria-label', s.detailsLabel);
  bytesBox.setAttribute('aria-label', s.bytesLabel);
  explainBox.textContent = s.noSelection;
}

function isExpanded(f: FlatField): boolean {
  const v = expanded.get(f.node.name);
  return v ?? f.depth <= 1;
}

export function renderDetails(tree: DetailNode, data: Uint8Array): void {
  state.fields = flatten(tree);
  state.frame = data;
  state.owners = byteOwners(state.fields, data.length);
  state.activeField = -1;
  renderTree();
  renderBytes();
  if (state.S) explainBox.textContent = state.S.noField;
  bytesStatus.textContent = '';
}

function renderTree(): void {
  const flat = state.fields;
  treeBox.textContent = '';
  treeItems = [];
  const frag = document.createDocumentFragment();
  const hiddenBelow: number[] = []; // depth stack of collapsed ancestors
  for (let i = 0; i < flat.length; i++) {
    const f = flat[i];
    while (hiddenBelow.length > 0 && f.depth <= hiddenBelow[hiddenBelow.length - 1]) hiddenBelow.pop();
    const hidden = hiddenBelow.length > 0;
    const hasKids = (f.node.children?.length ?? 0) > 0;
    const open = hasKids && isExpanded(f);
    if (hasKids && !open) hiddenBelow.push(f.depth);
    const item = el('div', 'tnode' + (f.node.severity ? ' sev-' + f.node.severity : '') + (f.node.length === 0 && f.node.name !== 'frame' ? ' verdict' : ''));
    item.setAttribute('role', 'treeitem');
    item.setAttribute('aria-level', String(f.depth + 1));
    item.dataset.i = String(i);
    item.style.paddingLeft = 6 + f.depth * 14 + 'px';
    if (hasKids) item.setAttribute('aria-expanded', String(open));
    item.hidden = hidden;
    item.append(el('span', 'twisty', hasKids ? (open ? '▾' : '▸') : ''), el('span', 'tlabel', f.node.label));
    if (f.node.explain) item.title = f.node.explain;
    item.setAttribute('aria-selected', i === state.activeField ? 'true' : 'false');
    if (i === state.activeField) item.classList.add('active');
    treeItems.push(item);
    frag.append(item);
  }
  treeBox.append(frag);
}

function toggle(i: number, open?: boolean): void {
  const f = state.fields[i];
  if (!f || !(f.node.children?.length)) return;
  expanded.set(f.node.name, open ?? !isExpanded(f));
  renderTree();
  treeItems[i]?.scrollIntoView({ block: 'nearest' });
}

function chooseField(i: number, fromBytes = false): void {
  const flat = state.fields;
  if (i < 0 || i >= flat.length) return;
  // Reveal: open every ancestor.
  let changed = false;
  for (let p = flat[i].parent; p >= 0; p = flat[p].parent) {
    if (!isExpanded(flat[p])) {
      expanded.set(flat[p].node.name, true);
      changed = true;
    }
  }
  state.activeField = i;
  if (changed) renderTree();
  else
    for (let k = 0; k < treeItems.length; k++) {
      treeItems[k].classList.toggle('active', k === i);
      treeItems[k].setAttribute('aria-selected', k === i ? 'true' : 'false');
    }
  treeBox.setAttribute('aria-activedescendant', '');
  treeItems[i]?.scrollIntoView({ block: 'nearest' });
  const n = flat[i].node;
  explainBox.textContent = '';
  explainBox.append(el('div', 'explain-field', n.label));
  if (n.explain) {
    const [title, ...rest] = n.explain.split('\n');
    explainBox.append(el('div', 'explain-title', title), el('div', 'explain-text', rest.join('\n')));
  }
  highlight(fieldRange(n, state.frame.length), !fromBytes);
}

onByteField((f) => chooseField(f, true));

treeBox.addEventListener('click', (e) => {
  const item = (e.target as HTMLElement).closest('.tnode') as HTMLElement | null;
  if (!item) return;
  const i = Number(item.dataset.i);
  if ((e.target as HTMLElement).classList.contains('twisty')) toggle(i);
  else chooseField(i);
});
treeBox.addEventListener('dblclick', (e) => {
  const item = (e.target as HTMLElement).closest('.tnode') as HTMLElement | null;
  if (item) toggle(Number(item.dataset.i));
});
treeBox.addEventListener('keydown', (e) => {
  const visible = treeItems.map((x, i) => (x.hidden ? -1 : i)).filter((i) => i >= 0);
  const activeField = state.activeField;
  const at = visible.indexOf(activeField);
  switch (e.key) {
    case 'ArrowDown': chooseField(visible[Math.min(visible.length - 1, at + 1)] ?? 0); break;
    case 'ArrowUp': chooseField(visible[Math.max(0, at - 1)] ?? 0); break;
    case 'ArrowRight': if (activeField >= 0) toggle(activeField, true); break;
    case 'ArrowLeft':
      if (activeField >= 0) {
        const f = state.fields[activeField];
        if ((f.node.children?.length ?? 0) > 0 && isExpanded(f)) toggle(activeField, false);
        else if (f.parent >= 0) chooseField(f.parent);
      }
      break;
    default: return;
  }
  e.preventDefault();
});
