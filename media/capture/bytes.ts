/**
 * The bytes of the selected packet (hex + ASCII, at most MAX_BYTES_SHOWN): the chosen field's bytes
 * highlighted, a hovered byte's field named and outlined, a click choosing the field that holds it.
 */
import { el } from '../common/dom';
import { asciiChar, fieldPath, fieldRange, hex2, offsetLabel } from './fields';
import { fmt, group } from './format';
import { MAX_BYTES_SHOWN, state } from './state';

export const bytesBox = el('div', 'bytes');
bytesBox.id = 'bytes';
export const bytesStatus = el('div', 'bytes-status');
bytesStatus.id = 'bytes-status';

let byteSpans: HTMLSpanElement[] = []; // hex spans, then ascii spans at +shown
let shownBytes = 0;
let highlighted: [number, number] = [0, 0];
let hoverField = -1;
/** What a click on a byte does (the details tree chooses that byte's field). */
let chooseField: (field: number) => void = () => undefined;

export function onByteField(fn: (field: number) => void): void {
  chooseField = fn;
}

/** Draws state.frame. */
export function renderBytes(): void {
  const bytes = state.frame;
  bytesBox.textContent = '';
  shownBytes = Math.min(bytes.length, MAX_BYTES_SHOWN);
  highlighted = [0, 0];
  const hexSpans: HTMLSpanElement[] = new Array<HTMLSpanElement>(shownBytes);
  const ascSpans: HTMLSpanElement[] = new Array<HTMLSpanElement>(shownBytes);
  const frag = document.createDocumentFragment();
  for (let off = 0; off < shownBytes; off += 16) {
    const line = el('div', 'hline');
    const hex = el('span', 'hex');
    const asc = el('span', 'asc');
    for (let k = off; k < Math.min(off + 16, shownBytes); k++) {
      const h = el('span', 'b', hex2(bytes[k]));
      h.dataset.i = String(k);
      if (k % 16 === 8) h.classList.add('gap');
      hexSpans[k] = h;
      hex.append(h);
      const c = el('span', 'b', asciiChar(bytes[k]));
      c.dataset.i = String(k);
      ascSpans[k] = c;
      asc.append(c);
    }
    for (let k = Math.min(off + 16, shownBytes); k < off + 16; k++) hex.append(el('span', 'b pad' + (k % 16 === 8 ? ' gap' : ''), '  '));
    line.append(el('span', 'off', offsetLabel(off)), hex, asc);
    frag.append(line);
  }
  if (bytes.length > shownBytes) frag.append(el('div', 'more', '… +' + group(bytes.length - shownBytes)));
  bytesBox.append(frag);
  byteSpans = [...hexSpans, ...ascSpans];
}

/** Highlights bytes [a, b) (a field's), scrolling the first into view when asked. */
export function highlight([a, b]: [number, number], reveal: boolean): void {
  const [oa, ob] = highlighted;
  for (let k = oa; k < ob && k < shownBytes; k++) {
    byteSpans[k].classList.remove('hl');
    byteSpans[k + shownBytes].classList.remove('hl');
  }
  highlighted = [a, b];
  for (let k = a; k < b && k < shownBytes; k++) {
    byteSpans[k].classList.add('hl');
    byteSpans[k + shownBytes].classList.add('hl');
  }
  if (reveal && a < shownBytes && b > a) byteSpans[a].scrollIntoView({ block: 'nearest' });
}

function byteAt(e: Event): number {
  const t = e.target as HTMLElement;
  if (!t.classList.contains('b') || t.dataset.i === undefined) return -1;
  return Number(t.dataset.i);
}
bytesBox.addEventListener('mouseover', (e) => {
  const k = byteAt(e);
  const S = state.S;
  if (k < 0 || !S) return;
  const f = state.owners[k];
  const name = f >= 0 ? fieldPath(state.fields, f) : '—';
  const text = fmt(S.bytesHover, '0x' + offsetLabel(k) + ' (' + k + ')', name);
  bytesStatus.textContent = text;
  (e.target as HTMLElement).title = text;
  if (f !== hoverField) {
    bytesBox.querySelectorAll('.hover').forEach((x) => x.classList.remove('hover'));
    hoverField = f;
    if (f >= 0) {
      const [a, b] = fieldRange(state.fields[f].node, state.frame.length);
      for (let q = a; q < b && q < shownBytes; q++) {
        byteSpans[q].classList.add('hover');
        byteSpans[q + shownBytes].classList.add('hover');
      }
    }
  }
});
bytesBox.addEventListener('mouseleave', () => {
  hoverField = -1;
  bytesBox.querySelectorAll('.hover').forEach((x) => x.classList.remove('hover'));
});
bytesBox.addEventListener('click', (e) => {
  const k = byteAt(e);
  if (k >= 0 && state.owners[k] >= 0) chooseField(state.owners[k]);
});
