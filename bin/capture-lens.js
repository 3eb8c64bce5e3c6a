#!/usr/bin/env node
'use strict';
let cli;
try {
  cli = require('../dist/cli.js');
} catch (err) {
  // A checkout installed with --ignore-scripts has no build yet (npm ci builds it: the "prepare" script).
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('dist/cli.js')) {
    process.stderr.write('capture-lens: dist/cli.js is not built yet; run "npm run build" in the capture-lens folder\n');
    process.exit(1);
  }
  throw err;
}
cli.run();
