/**
 * Reaching the extension's webviews (the capture editor, the flow graph, the Graphs and Follow panels) from a test.
 * Two ways, both used by the e2e files, each with a reason:
 *  - captureView(): a frame locator through the workbench's ready webview iframe and its #active-frame. It is
 *    resolved at each use, so it follows the capture editor when its webview reloads (e.g. reopened after it was
 *    hidden). Playwright's frame locators are strict: it serves only while one webview is shown.
 *  - webviewWith(selector): the first frame whose document has `selector`, whatever else is open. Needed when a
 *    panel stands beside the capture editor (two webviews), the flow graph's and the Graphs' tests.
 */
import type { FrameLoc, Session, WebviewFrame } from './index';

/** The document of the capture editor's webview (the one webview shown): two nested iframes. */
export function captureView(s: Session): FrameLoc {
  return s.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** The frame of the (first) webview whose document has `selector`; 20 s, the time a webview takes to load on a busy machine. */
export function webviewWith(s: Session, selector: string, timeout = 20_000): Promise<WebviewFrame> {
  return s.webviewFrame(selector, { timeout });
}

/** What tells each webview apart: an element only its document has. */
export const WEBVIEW = {
  capture: '#packet-grid',
  flow: '.flow-body',
  graphs: 'svg.plot',
} as const;
