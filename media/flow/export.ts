/**
 * Exports: the toolbar's SVG / PNG / text buttons (the host writes the files), and the PNG the
 * host asks for (`renderPng`): its SVG drawn on an offscreen canvas, answered with `png`.
 */
import type { FlowRenderPngMessage, FlowUiStrings } from '../../src/extension/flow/messages';
import { el } from '../common/dom';
import { channel, post } from './state';
import { errorMessage } from '../../src/core/errors';

function button(action: string): HTMLButtonElement {
  const b = el('button', 'flow-btn', '');
  b.type = 'button';
  b.dataset.action = action;
  return b;
}
const svgBtn = button('exportSvg');
const pngBtn = button('exportPng');
const textBtn = button('copyText');
export const exportGroup = el('span', 'flow-group');
exportGroup.append(svgBtn, pngBtn, textBtn);

export function applyExportStrings(s: FlowUiStrings): void {
  svgBtn.textContent = s.exportSvg;
  pngBtn.textContent = s.exportPng;
  textBtn.textContent = s.copyText;
}

svgBtn.addEventListener('click', () => post({ type: 'export', format: 'svg' }));
pngBtn.addEventListener('click', () => post({ type: 'export', format: 'png' }));
textBtn.addEventListener('click', () => post({ type: 'export', format: 'text' }));

function blobToBase64(b: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const fr = new FileReader();
    fr.onload = () => resolve(String(fr.result).replace(/^data:[^,]*,/, ''));
    fr.onerror = () => reject(fr.error ?? new Error('read failed'));
    fr.readAsDataURL(b);
  });
}

/** The PNG of the host's SVG, base64 (or why not). */
async function renderPng(m: FlowRenderPngMessage): Promise<{ base64?: string; error?: string }> {
  const url = URL.createObjectURL(new Blob([m.svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    let base64: string;
    if (typeof OffscreenCanvas !== 'undefined') {
      const c = new OffscreenCanvas(m.width, m.height);
      const ctx = c.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(img, 0, 0, m.width, m.height);
      base64 = await blobToBase64(await c.convertToBlob({ type: 'image/png' }));
    } else {
      const c = document.createElement('canvas');
      c.width = m.width;
      c.height = m.height;
      const ctx = c.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(img, 0, 0, m.width, m.height);
      base64 = c.toDataURL('image/png').replace(/^data:[^,]*,/, '');
    }
    return { base64 };
  } catch (e) {
    return { error: errorMessage(e) };
  } finally {
    URL.revokeObjectURL(url);
  }
}

// the reply (`png`, with the request's id) is posted by the channel
channel.on('renderPng', (m) => renderPng(m));
