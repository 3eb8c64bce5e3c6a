/**
 * The harness's helpers bound to one e2e file's session. A suite makes its session in `before`, after its describe
 * body (where the helpers are named) has run, so the binding takes a getter and reads the session at each call:
 *
 *   let s: Session;
 *   const { view, openCapture, waitStatus } = sessionHelpers(() => s);
 *
 * The names and signatures are those the files' own copies had, so a test written against a copy reads the same.
 */
import type { FrameLoc, PwLocator, PwPage, Session, WebviewFrame } from './index';
import { closeEditors, openCapture, type OpenCaptureOptions, waitStatus } from './capture';
import { captureView, WEBVIEW, webviewWith } from './webviews';

export interface SessionHelpers {
  /** The session's page. */
  page(): PwPage;
  /** captureView(): the capture editor's document, while it is the one webview shown. */
  view(): FrameLoc;
  /** The frame of the webview whose document has `selector` (20 s). */
  frameWith(selector: string, timeout?: number): Promise<WebviewFrame>;
  /** The capture editor's frame (its packet grid). */
  capture(): Promise<WebviewFrame>;
  /** The flow graph panel's frame. */
  flow(): Promise<WebviewFrame>;
  /** The Graphs panel's frame. */
  graphs(): Promise<WebviewFrame>;
  /** Opens a capture by quick open and waits for its tab (and with `grid`, its packet grid); see capture.ts. */
  openCapture(name: string, options?: OpenCaptureOptions): Promise<FrameLoc>;
  /** Waits until the capture editor's status line matches `re`. */
  waitStatus(v: { locator(selector: string): PwLocator }, re: RegExp, timeout?: number): Promise<string>;
  /** Closes all editors and lets their webviews go. */
  closeEditors(): Promise<void>;
}

export function sessionHelpers(session: () => Session): SessionHelpers {
  return {
    page: () => session().page,
    view: () => captureView(session()),
    frameWith: (selector, timeout) => webviewWith(session(), selector, timeout),
    capture: () => webviewWith(session(), WEBVIEW.capture),
    flow: () => webviewWith(session(), WEBVIEW.flow),
    graphs: () => webviewWith(session(), WEBVIEW.graphs),
    openCapture: (name, options) => openCapture(session(), name, options),
    waitStatus,
    closeEditors: () => closeEditors(session()),
  };
}
