/** Zoom: the toolbar's −/level/+ controls, the +/−/0 keys and Ctrl+wheel, and the layout at a zoom level. */
import type { FlowUiStrings } from '../../src/extension/flow/messages';
import { el } from '../common/dom';
import { applyLayout, body, geom, setTop, sizeSpacer, topPx } from './body';
import { clampZoom, flowLayout, stepZoom, zoomTop } from './layout';
import { redrawAll, render, saveState } from './rows';
import { state } from './state';

function button(action: string, text = ''): HTMLButtonElement {
  const b = el('button', 'flow-btn', text);
  b.type = 'button';
  b.dataset.action = action;
  return b;
}
const zoomOutBtn = button('zoomOut', '−');
const zoomLevel = el('span', 'flow-zoom-level');
const zoomInBtn = button('zoomIn', '+');
export const zoomGroup = el('span', 'flow-group');
zoomGroup.append(zoomOutBtn, zoomLevel, zoomInBtn);

export function applyZoomStrings(s: FlowUiStrings): void {
  zoomInBtn.title = s.zoomIn;
  zoomInBtn.setAttribute('aria-label', s.zoomIn);
  zoomOutBtn.title = s.zoomOut;
  zoomOutBtn.setAttribute('aria-label', s.zoomOut);
}

export function showZoomLevel(): void {
  zoomLevel.textContent = Math.round(state.zoom * 100) + '%';
}

/** The layout for the graph's lifelines and lanes at the current zoom, applied; every row is drawn again. */
export function relayout(): void {
  let maxLabel = 0;
  for (const l of state.lifelines) maxLabel = Math.max(maxLabel, l.label.length);
  state.L = flowLayout(state.lifelines.length, maxLabel, state.lanes, state.zoom);
  applyLayout(state.L);
  redrawAll();
  showZoomLevel();
}

export function setZoom(z: number): void {
  const nz = clampZoom(z);
  if (nz === state.zoom || !state.L) {
    state.zoom = nz;
    return;
  }
  const g0 = geom();
  const top0 = topPx(g0);
  const h0 = state.L.rowHeight;
  state.zoom = nz;
  relayout();
  const g1 = geom();
  sizeSpacer(g1);
  setTop(zoomTop(top0, h0, g1.rowHeight), g1);
  render();
  saveState();
}

zoomInBtn.addEventListener('click', () => setZoom(stepZoom(state.zoom, 1)));
zoomOutBtn.addEventListener('click', () => setZoom(stepZoom(state.zoom, -1)));

body.addEventListener('keydown', (e) => {
  if (e.target !== body) return;
  switch (e.key) {
    case '+':
    case '=':
      setZoom(stepZoom(state.zoom, 1));
      break;
    case '-':
    case '_':
      setZoom(stepZoom(state.zoom, -1));
      break;
    case '0':
      setZoom(1);
      break;
    default:
      return;
  }
  e.preventDefault();
});

body.addEventListener(
  'wheel',
  (e) => {
    if (!e.ctrlKey && !e.metaKey) return;
    e.preventDefault();
    setZoom(stepZoom(state.zoom, e.deltaY < 0 ? 1 : -1));
  },
  { passive: false },
);
