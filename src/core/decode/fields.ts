/**
 * Every decoded field knows where it came from: `offset` and `length` in the frame (bytes).
 * Decoders report fields to an optional FieldSink; when none is given (the fast path used for
 * indexing millions of packets) no field objects are allocated at all.
 */

export interface FieldSink {
  /** Start a layer or a sub-tree (e.g. "tcp", "tcp.options", "tcp.option.mss"). */
  open(name: string, label: string, offset: number, length: number): void;
  /**
   * A leaf field. `name` is a Wireshark-like dotted name ("ip.ttl", "tcp.flags.syn"),
   * `value` the machine value, `display` what a person reads. `bitmask` (optional) marks a
   * field that covers only some bits of the bytes it spans.
   */
  field(name: string, label: string, offset: number, length: number, value: string | number | boolean | null, display: string, bitmask?: number): void;
  /** End the sub-tree opened last. Its length may be fixed up here once known. */
  close(length?: number): void;
  /** A problem found while decoding (truncation, bad length, bad option): kept with the node it belongs to. */
  note(severity: 'error' | 'warning' | 'info', message: string, offset: number, length: number): void;
}

/** A node of the details tree, as built by TreeSink. */
export interface FieldNode {
  name: string;
  label: string;
  offset: number;
  length: number;
  value?: string | number | boolean | null;
  display?: string;
  bitmask?: number;
  children?: FieldNode[];
  notes?: { severity: 'error' | 'warning' | 'info'; message: string; offset: number; length: number }[];
}

/** Builds a FieldNode tree (used for the details view, hex highlighting, tests). */
export class TreeSink implements FieldSink {
  readonly root: FieldNode = { name: 'frame', label: 'Frame', offset: 0, length: 0, children: [] };
  private stack: FieldNode[] = [this.root];

  open(name: string, label: string, offset: number, length: number): void {
    const node: FieldNode = { name, label, offset, length, children: [] };
    this.top().children!.push(node);
    this.stack.push(node);
  }
  field(name: string, label: string, offset: number, length: number, value: string | number | boolean | null, display: string, bitmask?: number): void {
    const node: FieldNode = { name, label, offset, length, value, display };
    if (bitmask !== undefined) node.bitmask = bitmask;
    this.top().children!.push(node);
  }
  close(length?: number): void {
    if (this.stack.length <= 1) return;
    const node = this.stack.pop()!;
    if (length !== undefined) node.length = length;
  }
  note(severity: 'error' | 'warning' | 'info', message: string, offset: number, length: number): void {
    const node = this.top();
    (node.notes ??= []).push({ severity, message, offset, length });
  }
  private top(): FieldNode {
    return this.stack[this.stack.length - 1];
  }
}

/** Depth-first search for the first node with the given name. */
export function findField(node: FieldNode, name: string): FieldNode | undefined {
  if (node.name === name) return node;
  for (const c of node.children ?? []) {
    const f = findField(c, name);
    if (f) return f;
  }
  return undefined;
}
