// The staging worker's entry when the sources run through tsx (npm start, tests): a worker thread
// does not take `--import tsx` from its execArgv, so it registers tsx itself, then loads the
// TypeScript worker. The bundled command-line import starts its own bundled entry instead.
import { register } from 'tsx/esm/api';

register();
await import('./stage-worker.ts');
