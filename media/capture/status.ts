/**
 * The status line (indexing progress, counts, Cancel, the colour legend), the banner of a damaged
 * or unreadable file and the transient notice.
 */
import type { UiStrings } from '../../src/extension/capture/webviewMessages';
import { el } from '../common/dom';
import { fmt, group, rate } from './format';
import { app, post, state } from './state';

export const statusBar = el('div', 'status');
const progressTrack = el('div', 'progress-track');
const progressFill = el('div', 'progress-fill');
progressTrack.append(progressFill);
const statusText = el('span', 'status-text');
statusText.id = 'status-text';
statusText.setAttribute('aria-live', 'polite');
const cancelBtn = el('button', 'btn secondary small');
const legend = el('div', 'legend');
statusBar.append(progressTrack, statusText, cancelBtn, legend);

export const banner = el('div', 'banner');
banner.hidden = true;
banner.setAttribute('role', 'alert');
const bannerText = el('span', 'banner-text');
const bannerBtn = el('button', 'btn');
bannerBtn.hidden = true;
banner.append(bannerText, bannerBtn);

export const notice = el('div', 'notice');
notice.hidden = true;
notice.setAttribute('role', 'status');

export function applyStatusStrings(s: UiStrings): void {
  cancelBtn.textContent = s.cancel;
  legend.textContent = '';
  for (const [kind, label] of [['syn', s.legendSyn], ['fin', s.legendFin], ['rst', s.legendRst], ['warn', s.legendWarn], ['bad', s.legendBad]] as const) {
    const item = el('span', 'legend-item');
    item.append(el('span', 'swatch k-' + kind), el('span', undefined, label));
    legend.append(item);
  }
}

export function updateStatus(): void {
  const S = state.S;
  if (!S) return;
  const p = state.progress;
  const indexing = p !== undefined && !p.done;
  const following = indexing && p?.following === true;
  progressTrack.hidden = !indexing || following;
  cancelBtn.hidden = !indexing;
  cancelBtn.textContent = following ? S.stopFollowing : S.cancel;
  app.classList.toggle('following', following);
  if (following && p) {
    statusText.textContent = p.dropped ? fmt(S.followingRing, group(p.packets), group(p.dropped)) : fmt(S.following, group(p.packets));
  } else if (indexing && p) {
    const frac = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
    progressFill.style.width = (frac * 100).toFixed(1) + '%';
    progressTrack.setAttribute('role', 'progressbar');
    progressTrack.setAttribute('aria-valuenow', String(Math.round(frac * 100)));
    statusText.textContent = fmt(S.indexing, group(p.packets), rate(p.rate));
  } else if (state.cancelled) {
    statusText.textContent = fmt(S.cancelled, group(state.total));
  } else if (state.view !== 0) {
    statusText.textContent = fmt(S.packetsShown, group(state.viewCount), group(state.total));
  } else if (p?.dropped) {
    statusText.textContent = fmt(S.ringDropped, group(state.total), group(p.dropped));
  } else {
    statusText.textContent = fmt(S.indexed, group(state.total));
  }
  const err = p?.error;
  app.classList.toggle('not-capture', err?.kind === 'not-a-capture' && state.total === 0);
  if (err) {
    banner.hidden = false;
    if (err.kind === 'not-a-capture') {
      banner.className = 'banner error';
      bannerText.textContent = fmt(S.notCapture, err.message);
      bannerBtn.textContent = S.reopenText;
      bannerBtn.hidden = false;
    } else if (err.kind === 'io') {
      banner.className = 'banner error';
      bannerText.textContent = fmt(S.readFailed, err.message);
      bannerBtn.hidden = true;
    } else if (err.kind === 'limit') {
      // a safety limit (gzip bomb, index ceiling): the file is not damaged, the message says what to do
      banner.className = 'banner warning';
      bannerText.textContent = fmt(S.readFailed, err.message);
      bannerBtn.hidden = true;
    } else {
      banner.className = 'banner warning';
      bannerText.textContent = fmt(S.damaged, err.message, group(err.offset));
      bannerBtn.hidden = true;
    }
  } else banner.hidden = true;
}

let noticeTimer: number | undefined;
export function showNotice(text: string, severity: 'info' | 'error'): void {
  notice.textContent = text;
  notice.className = 'notice ' + severity;
  notice.hidden = false;
  if (noticeTimer !== undefined) window.clearTimeout(noticeTimer);
  noticeTimer = window.setTimeout(() => (notice.hidden = true), severity === 'error' ? 8000 : 3000);
}

cancelBtn.addEventListener('click', () => {
  // stopping a followed file settles it (the host ends the follow): not a cancel
  if (state.progress?.following !== true) state.cancelled = true;
  post({ type: 'cancel' });
});
bannerBtn.addEventListener('click', () => post({ type: 'command', command: 'reopenText' }));
