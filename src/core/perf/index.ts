export * from './tracker';
export * from './store';
