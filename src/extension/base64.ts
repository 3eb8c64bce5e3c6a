/** Base64 to bytes with atob (a global in Node 16+ and in browsers): no Buffer, so it runs in both extension hosts (issue 17). */
export function base64Bytes(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
