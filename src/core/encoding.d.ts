// The WHATWG Encoding API (TextDecoder, TextEncoder) is a global in every runtime core runs in — Node (since 11),
// the webviews, worker threads — but it is not in lib ES2022, and src/core/tsconfig.json loads neither DOM nor
// Node types (so that anything else from them is a compile error in core). Declared here, and only the part core
// uses. Only src/core/tsconfig.json reads this file: the other projects have DOM/Node's own declarations.
interface TextDecoder {
  readonly encoding: string;
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
// eslint-disable-next-line no-var -- a global, as lib.dom.d.ts declares it
declare var TextDecoder: {
  prototype: TextDecoder;
  new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder;
};
interface TextEncoder {
  readonly encoding: string;
  encode(input?: string): Uint8Array<ArrayBuffer>;
}
// eslint-disable-next-line no-var -- a global, as lib.dom.d.ts declares it
declare var TextEncoder: { prototype: TextEncoder; new (): TextEncoder };
