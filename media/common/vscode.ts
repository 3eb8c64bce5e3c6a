/**
 * The VS Code API handle of a webview: acquireVsCodeApi may be called once per page, so every
 * module of a view takes it from here (each view bundles its own copy of this module).
 */
interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export const vscodeApi: VsCodeApi = acquireVsCodeApi();

/** What the view saved with setState before it was hidden or reloaded (fields may be missing or stale). */
export function savedState<T>(): Partial<T> {
  return (vscodeApi.getState() ?? {}) as Partial<T>;
}
