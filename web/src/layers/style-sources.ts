/**
 * The style JSON under styles/ (repo root), bundled at build time through the
 * `@styles` alias (web/vite.config.ts): the basemap and one style per system.
 */
import basemapJson from '@styles/basemap.json';
import { toStyleSources, type StyleSources } from './style-catalog.ts';

const systemModules = import.meta.glob<unknown>('@styles/systems/*.json', { eager: true, import: 'default' });

export function loadStyleSources(): StyleSources {
  return toStyleSources(basemapJson, systemModules);
}
