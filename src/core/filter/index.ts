/** The capture editor's filter language: parser (precise errors with offsets) and evaluator over typed arrays. */
export * from './parse';
export * from './eval';
