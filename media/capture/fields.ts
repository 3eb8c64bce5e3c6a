/**
 * Byte ↔ field mapping of the details tree (pure, no DOM): which field a byte belongs to (the
 * deepest one covering it), the path of labels to it, and hexdump rows.
 */
import type { DetailNode } from '../../src/extension/capture/webviewMessages';

export interface FlatField {
  node: DetailNode;
  /** Index of the parent in the flat list, -1 for the root. */
  parent: number;
  depth: number;
}

/** The tree in depth-first order (a parent before its children). */
export function flatten(root: DetailNode): FlatField[] {
  const out: FlatField[] = [];
  const walk = (n: DetailNode, parent: number, depth: number): void => {
    const me = out.length;
    out.push({ node: n, parent, depth });
    for (const c of n.children ?? []) walk(c, me, depth + 1);
  };
  walk(root, -1, 0);
  return out;
}

/**
 * For every byte of a frame of `size` bytes, the index (in `flat`) of the deepest field covering
 * it, or -1. Fields without bytes (length 0) and notes are skipped; a later (deeper or following)
 * field wins over an earlier one of the same depth only when it is not larger.
 */
export function byteOwners(flat: FlatField[], size: number): Int32Array {
  const owner = new Int32Array(size).fill(-1);
  const ownerDepth = new Int32Array(size).fill(-1);
  const ownerLen = new Int32Array(size).fill(0x7fffffff);
  for (let i = 0; i < flat.length; i++) {
    const { node, depth } = flat[i];
    if (node.length <= 0 || node.name === 'note') continue;
    const a = Math.max(0, node.offset);
    const b = Math.min(size, node.offset + node.length);
    for (let k = a; k < b; k++) {
      if (depth > ownerDepth[k] || (depth === ownerDepth[k] && node.length <= ownerLen[k])) {
        owner[k] = i;
        ownerDepth[k] = depth;
        ownerLen[k] = node.length;
      }
    }
  }
  return owner;
}

/** Labels from the layer down to the field: "Internet Protocol Version 4 › Time to Live: 64" (the frame root left out). */
export function fieldPath(flat: FlatField[], i: number): string {
  const parts: string[] = [];
  for (let k = i; k > 0; k = flat[k].parent) parts.unshift(flat[k].node.label);
  return parts.join(' › ');
}

/** The byte range [start, end) a field covers, clipped to the frame. */
export function fieldRange(node: DetailNode, size: number): [number, number] {
  const a = Math.max(0, Math.min(size, node.offset));
  return [a, Math.max(a, Math.min(size, node.offset + node.length))];
}

/** Two hex digits per byte. */
export function hex2(b: number): string {
  return (b < 16 ? '0' : '') + b.toString(16);
}

/** Printable ASCII or '.'. */
export function asciiChar(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

/** "0000", "0010", … (at least 4 hex digits). */
export function offsetLabel(off: number): string {
  return off.toString(16).padStart(4, '0');
}

/** Bytes from whatever postMessage delivered (Uint8Array, ArrayBuffer, array, or an index-keyed object). */
export function toBytes(x: unknown): Uint8Array {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  if (Array.isArray(x)) return Uint8Array.from(x as number[]);
  if (x !== null && typeof x === 'object') {
    const o = x as Record<string, number>;
    const keys = Object.keys(o).filter((k) => /^\d+$/.test(k));
    const out = new Uint8Array(keys.length);
    for (const k of keys) out[Number(k)] = o[k] & 0xff;
    return out;
  }
  return new Uint8Array(0);
}
