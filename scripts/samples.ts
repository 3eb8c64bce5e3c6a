/** npm run samples: writes samples/ (see src/node/samples.ts). */
import * as path from 'node:path';
import { writeSamples } from '../src/node/samples';

console.log(writeSamples(path.resolve(__dirname, '..', 'samples')));
