/** Text helpers shared by our webviews (pure, no DOM). */

/** "{0} of {1}" with the arguments filled in (the host's translated strings use {n} placeholders). */
export function fmt(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (m, n: string) => (Number(n) < args.length ? String(args[Number(n)]) : m));
}
