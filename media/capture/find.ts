/**
 * The find bar (issue 17, Wireshark's Ctrl+F): a pattern, its mode (text, hex bytes, regular
 * expression), where to look (packet bytes or the Info column), Match case, Previous / Next. The
 * worker searches (src/worker/find.ts) from the selected packet in the list's order — the filtered
 * view when there is one — and the match is selected like a click would. Keys: Ctrl+F opens the bar
 * (also a VS Code keybinding, since the workbench sees the key too); in the bar Enter / Shift+Enter,
 * anywhere F3 / Shift+F3 go to the next / previous match; Escape closes it. F8 / Shift+F8 (next /
 * previous problem) come only as the keybinding's `findStep`: a key both ends handled would step twice.
 */
import type { FindMode, FindQuery, FindScope } from '../../src/core/find/query';
import type { FindProgressMessage, FindResultMessage, UiStrings } from '../../src/extension/capture/webviewMessages';
import { el } from '../common/dom';
import { fmt, group } from './format';
import { grid, requestDetails, select } from './list';
import { post, state } from './state';
import { showNotice } from './status';

export const findBar = el('div', 'find-bar');
findBar.id = 'find-bar';
findBar.hidden = true;
findBar.setAttribute('role', 'search');
const input = el('input', 'find-input');
input.id = 'find-input';
input.type = 'text';
input.spellcheck = false;
const modeSelect = el('select', 'find-mode');
modeSelect.id = 'find-mode';
const scopeSelect = el('select', 'find-scope');
scopeSelect.id = 'find-scope';
const caseLabel = el('label', 'find-case');
const caseBox = el('input');
caseBox.type = 'checkbox';
caseBox.id = 'find-case';
const caseText = el('span');
caseLabel.append(caseBox, caseText);
const prevBtn = el('button', 'btn secondary small');
prevBtn.id = 'find-prev';
prevBtn.textContent = '↑';
const nextBtn = el('button', 'btn secondary small');
nextBtn.id = 'find-next';
nextBtn.textContent = '↓';
const closeBtn = el('button', 'btn secondary small');
closeBtn.id = 'find-close';
closeBtn.textContent = '×';
const findStatus = el('span', 'find-status');
findStatus.id = 'find-status';
findStatus.setAttribute('aria-live', 'polite');
findBar.append(input, modeSelect, scopeSelect, caseLabel, prevBtn, nextBtn, closeBtn, findStatus);

/** The search under way (its number; results of older ones are ignored), whether it is F8's, its direction. */
let seq = 0;
let pendingProblem = false;
let lastBackwards = false;

/** The box's placeholder says how to write a pattern of the chosen mode. */
function applyPlaceholder(): void {
  const s = state.S;
  if (!s) return;
  input.placeholder =
    modeSelect.value === 'hex'
      ? s.findHexPlaceholder
      : modeSelect.value === 'regex'
        ? s.findRegexPlaceholder
        : s.findPlaceholder;
}

export function applyFindStrings(s: UiStrings): void {
  input.setAttribute('aria-label', s.findPlaceholder);
  findBar.setAttribute('aria-label', s.find);
  modeSelect.textContent = '';
  for (const [v, label] of [
    ['text', s.findModeText],
    ['hex', s.findModeHex],
    ['regex', s.findModeRegex],
  ] as const) {
    const o = el('option', undefined, label);
    o.value = v;
    modeSelect.append(o);
  }
  scopeSelect.textContent = '';
  for (const [v, label] of [
    ['bytes', s.findScopeBytes],
    ['info', s.findScopeInfo],
  ] as const) {
    const o = el('option', undefined, label);
    o.value = v;
    scopeSelect.append(o);
  }
  caseText.textContent = s.findCase;
  applyPlaceholder();
  prevBtn.title = s.findPrev;
  prevBtn.setAttribute('aria-label', s.findPrev);
  nextBtn.title = s.findNext;
  nextBtn.setAttribute('aria-label', s.findNext);
  closeBtn.title = s.findClose;
  closeBtn.setAttribute('aria-label', s.findClose);
}

/** Show the bar and put the focus in its box, its text selected (Ctrl+F again re-selects). */
export function openFind(): void {
  findBar.hidden = false;
  input.focus();
  input.select();
}

function closeFind(): void {
  if (seq > 0) post({ type: 'findCancel' });
  findBar.hidden = true;
  setStatus('', false);
  grid.focus({ preventScroll: true });
}

function query(): FindQuery {
  return {
    pattern: input.value,
    mode: modeSelect.value as FindMode,
    scope: scopeSelect.value as FindScope,
    caseSensitive: caseBox.checked,
  };
}

function setStatus(text: string, error: boolean): void {
  findStatus.textContent = text;
  findStatus.classList.toggle('error', error);
  input.classList.toggle('invalid', error);
}

/** One step from the selection: the find bar's pattern, or (F8) the next packet marked as a problem. */
export function findStep(backwards: boolean, problem = false): void {
  if (!problem && input.value === '') {
    openFind();
    return;
  }
  seq++;
  pendingProblem = problem;
  lastBackwards = backwards;
  setStatus('', false);
  post({ type: 'find', seq, view: state.view, from: state.selPos, backwards, ...(problem ? {} : { query: query() }) });
}

export function onFindProgress(m: FindProgressMessage): void {
  if (m.seq !== seq || !state.S || m.total <= 0) return;
  setStatus(fmt(state.S.findSearching, Math.floor((100 * m.searched) / m.total)), false);
}

export function onFindResult(m: FindResultMessage): void {
  const S = state.S;
  if (m.seq !== seq || !S) return;
  const r = m.result;
  const say = (text: string, error = false): void => {
    // F8 with the bar closed: the status line's notice carries the words
    if (findBar.hidden && text !== '') showNotice(text, error ? 'error' : 'info');
    setStatus(text, error);
  };
  if (m.error !== undefined) {
    say(m.error, true);
    return;
  }
  switch (r.status) {
    case 'invalid':
      return;
    case 'cancelled':
      say(S.findCancelled);
      return;
    case 'notFound':
      say(pendingProblem ? S.findNoProblem : fmt(S.findNotFound, group(r.searched)), !pendingProblem);
      return;
    case 'found':
      if (m.view !== state.view) return; // the list shows another view now
      select(r.position, { immediate: false });
      if (state.selIndex !== r.index) {
        state.selIndex = r.index;
        requestDetails(true);
      }
      say(r.wrapped ? (lastBackwards ? S.findWrappedStart : S.findWrappedEnd) : '');
      if (findBar.hidden) grid.focus({ preventScroll: true });
  }
}

const step = (backwards: boolean): void => findStep(backwards);

input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    step(e.shiftKey);
  } else if (e.key === 'Escape') {
    e.preventDefault();
    closeFind();
  }
});
input.addEventListener('input', () => setStatus('', false));
modeSelect.addEventListener('change', () => {
  setStatus('', false);
  applyPlaceholder();
});
prevBtn.addEventListener('click', () => step(true));
nextBtn.addEventListener('click', () => step(false));
closeBtn.addEventListener('click', closeFind);

window.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && (e.key === 'f' || e.key === 'F')) {
    e.preventDefault();
    openFind();
  } else if (e.key === 'F3' && !e.ctrlKey && !e.altKey && !e.metaKey) {
    e.preventDefault();
    step(e.shiftKey);
  }
});
