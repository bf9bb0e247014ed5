/** Path of the bundled CLI entry (built or rebuilt first when api/src or the lockfile changed). */
export function cliBundle(entry?: string): Promise<string>;
/** Node options for running a bundle (no TypeScript hooks). */
export const NODE_BUNDLE: readonly string[];
