/**
 * The flow graph's grid, shared by the SVG export (svg.ts), the panel (src/extension/flow/) and the webview
 * (media/flow/layout.ts). Constants only, with no imports, so the webview bundle that needs them pulls in
 * nothing else (it used to take them from svg.ts and the host's messages.ts, and so bundled both).
 */

/** Layout (px), exported so a webview can place its own overlays on the same grid. */
export const FLOW_SVG_LAYOUT = {
  timeWidth: 110,
  bracketWidth: 28,
  headerHeight: 44,
  rowHeight: 40,
  minColumn: 170,
  commentWidth: 360,
  charWidth: 7,
} as const;

/** Bracket lanes the gutter has at most (brackets beyond them are not drawn; their arrows still name the step). */
export const FLOW_MAX_LANES = 4;
