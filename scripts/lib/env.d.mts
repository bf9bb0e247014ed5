// Types for the parts of env.mjs that TypeScript scripts (scripts/bench) use.

export const ROOT: string;
/** How `npm start` runs TypeScript: node with these options before the entry file. */
export const NODE_TS: readonly string[];
/** Installs Debian packages through apt (root only); exits with the install command otherwise. */
export function ensureApt(packages: string[], why: string): void;
