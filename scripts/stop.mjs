import { stopLocalCluster } from './lib/postgres.mjs';

stopLocalCluster();
