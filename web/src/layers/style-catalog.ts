/**
 * The bundled MapLibre styles as the app uses them: a basemap and one style
 * per vital system. Pure: the JSON is handed in (see style-sources.ts).
 *
 * The structural check here only keeps `unknown` honest; full validation is
 * `gl-style-validate` over styles/ and the style-spec validator in the tests.
 */
import { isSystemCode, type SystemCode } from '@model/systems.ts';
import type { StyleSpecification } from 'maplibre-gl';

export interface StyleSources {
  basemap: StyleSpecification;
  systems: ReadonlyMap<SystemCode, StyleSpecification>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLayerLike(value: unknown): boolean {
  return isRecord(value) && typeof value['id'] === 'string' && typeof value['type'] === 'string';
}

export function isStyleSpecification(json: unknown): json is StyleSpecification {
  return (
    isRecord(json) &&
    json['version'] === 8 &&
    isRecord(json['sources']) &&
    Object.values(json['sources']).every((s) => isRecord(s) && typeof s['type'] === 'string') &&
    Array.isArray(json['layers']) &&
    json['layers'].every(isLayerLike)
  );
}

/** `…/systems/gas_ld.json` → `gas_ld` when that is a known system code. */
export function systemCodeFromPath(path: string): SystemCode | null {
  const name = path.split('/').pop()?.replace(/\.json$/, '') ?? '';
  return isSystemCode(name) ? name : null;
}

/** Glob-imported modules (path → JSON) → styles keyed by system code. Throws on a stray file. */
export function collectSystemStyles(modules: Readonly<Record<string, unknown>>): Map<SystemCode, StyleSpecification> {
  const styles = new Map<SystemCode, StyleSpecification>();
  for (const [path, json] of Object.entries(modules)) {
    const code = systemCodeFromPath(path);
    if (code === null || !isStyleSpecification(json)) {
      throw new Error(`styles: ${path} is not a MapLibre style for a known system`);
    }
    styles.set(code, json);
  }
  return styles;
}

export function toStyleSources(basemap: unknown, systemModules: Readonly<Record<string, unknown>>): StyleSources {
  if (!isStyleSpecification(basemap)) throw new Error('styles: basemap.json is not a MapLibre style');
  return { basemap, systems: collectSystemStyles(systemModules) };
}
