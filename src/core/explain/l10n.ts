/**
 * Localisation seam of the explanations catalogue. Pure TypeScript (no vscode).
 *
 * VS Code's way: the English text is the key, `vscode.l10n.t(message, ...args)` looks it up in
 * `l10n/bundle.l10n.<locale>.json` and fills the `{0}`, `{1}` … placeholders. The core cannot
 * import vscode, so every catalogue function takes a `Translate`: the extension passes
 * `vscode.l10n.t`, tests and the CLI pass `formatEn` (English) or `bundleTranslator(bundle)`.
 *
 * Rule for callers in src/core/explain: the first argument of `t` is always a string literal
 * (single quotes), so test/explain.test.ts can extract every key from the source.
 */

export type Translate = (message: string, ...args: (string | number | boolean)[]) => string;

const PLACEHOLDER = /\{(\d+)\}/g;

/** English: the message itself with `{n}` replaced by the n-th argument (kept as is when missing). */
export function formatEn(message: string, ...args: (string | number | boolean)[]): string {
  if (args.length === 0 || message.indexOf('{') < 0) return message;
  return message.replace(PLACEHOLDER, (m: string, n: string) => {
    const i = Number(n);
    return i < args.length ? String(args[i]) : m;
  });
}

/** A translator over a bundle (keys: English messages, values: translations); falls back to English. */
export function bundleTranslator(bundle: Record<string, string>): Translate {
  return (message: string, ...args: (string | number | boolean)[]): string => {
    const tr = Object.prototype.hasOwnProperty.call(bundle, message) ? bundle[message] : undefined;
    return formatEn(typeof tr === 'string' ? tr : message, ...args);
  };
}
