import type { VectorTile } from '@mapbox/vector-tile';

/**
 * A decoded MVT as readable, stable text: one line per feature with its properties and tile
 * coordinates, features sorted by id. A reviewer can read a diff of this file.
 */
export function describeTile(tile: VectorTile): string {
  const out: string[] = [];
  for (const name of Object.keys(tile.layers).sort()) {
    const layer = tile.layers[name];
    if (!layer) continue;
    out.push(`layer ${name} extent=${layer.extent} features=${layer.length}`);
    const lines: [number, string][] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      const props = Object.entries(f.properties)
        .filter(([k]) => k !== 'id')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ');
      const geom = f.loadGeometry().map((ring) => ring.map((p) => `${p.x},${p.y}`).join(' ')).join(' | ');
      lines.push([Number(f.id), `  ${['?', 'point', 'line', 'polygon'][f.type]} ${props} :: ${geom}`]);
    }
    lines.sort((a, b) => a[0] - b[0]);
    out.push(...lines.map(([, l]) => l));
  }
  return `${out.join('\n')}\n`;
}
