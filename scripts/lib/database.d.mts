// Types for database.mjs, so TypeScript scripts (scripts/bench) can import it.

/**
 * DATABASE_URL when given (used as is), otherwise the project-local cluster (started when needed)
 * with database `name`, created when absent.
 */
export function resolveDatabaseUrl(name: string): string;
