/** The filter box with its error line, and the Apply / Clear buttons. */
import type { UiStrings } from '../../src/extension/capture/webviewMessages';
import { el } from '../common/dom';
import { post, saved, state } from './state';

export const filterWrap = el('div', 'filter-wrap');
export const filterInput = el('input', 'filter-input');
filterInput.type = 'text';
filterInput.spellcheck = false;
filterInput.id = 'filter';
const filterError = el('div', 'filter-error');
filterError.id = 'filter-error';
filterError.setAttribute('role', 'alert');
filterInput.setAttribute('aria-describedby', 'filter-error');
filterWrap.append(filterInput, filterError);
export const applyBtn = el('button', 'btn');
export const clearBtn = el('button', 'btn secondary');

// Before the first render: the saved filter text.
filterInput.value = typeof saved.filter === 'string' ? saved.filter : '';

export function applyFilterStrings(s: UiStrings): void {
  filterInput.placeholder = s.filterPlaceholder;
  filterInput.setAttribute('aria-label', s.filterPlaceholder);
  applyBtn.textContent = s.filterApply;
  clearBtn.textContent = s.filterClear;
}

/** Ask for the filter in the box ('' clears it). */
export function applyFilter(): void {
  const expr = filterInput.value.trim();
  post({ type: 'filter', expr });
}

/** Shows a filter's parse error and selects the text from where it starts. */
export function showFilterError(error: string, at: number): void {
  filterWrap.classList.add('invalid');
  filterInput.setAttribute('aria-invalid', 'true');
  filterError.textContent = error;
  const from = Math.max(0, Math.min(filterInput.value.length, at));
  try {
    filterInput.setSelectionRange(from, filterInput.value.length);
  } catch {
    /* not focused */
  }
}

export function clearFilterError(): void {
  filterWrap.classList.remove('invalid');
  filterInput.removeAttribute('aria-invalid');
  filterError.textContent = '';
}

filterInput.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    applyFilter();
  } else if (e.key === 'Escape') {
    filterInput.value = state.appliedFilter;
    clearFilterError();
  }
});
filterInput.addEventListener('input', () => clearFilterError());
applyBtn.addEventListener('click', applyFilter);
clearBtn.addEventListener('click', () => {
  filterInput.value = '';
  applyFilter();
});
