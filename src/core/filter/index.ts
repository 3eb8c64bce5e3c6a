/**
 * The capture editor's filter box: our own language and Wireshark display-filter syntax (parser with
 * precise errors), the field registry, and the evaluator over typed arrays.
 */
export * from './parse';
export * from './eval';
export * from './fields';
export * from './columns';
export { compileRegex, LinearRegex, RegexSyntaxError } from './regex';
