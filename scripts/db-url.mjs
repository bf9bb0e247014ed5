import { localDatabaseUrl } from './lib/postgres.mjs';

console.log(process.env.DATABASE_URL ?? localDatabaseUrl('samenhang'));
