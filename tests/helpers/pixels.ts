import { PNG } from 'pngjs';

export interface Census {
  count: number;
  /** the matching pixel with the most matching neighbours (the middle of a line), if any */
  best: { x: number; y: number } | null;
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Count pixels of a PNG within `tolerance` (sum of channel differences) of a colour. */
export function censusColour(png: Buffer, hex: string, tolerance = 24): Census {
  const img = PNG.sync.read(png);
  const [r, g, b] = hexToRgb(hex);
  const match = (x: number, y: number): boolean => {
    if (x < 0 || y < 0 || x >= img.width || y >= img.height) return false;
    const i = (y * img.width + x) * 4;
    return Math.abs((img.data[i] ?? 0) - r) + Math.abs((img.data[i + 1] ?? 0) - g) + Math.abs((img.data[i + 2] ?? 0) - b) <= tolerance;
  };
  let count = 0;
  let best: Census['best'] = null;
  let bestScore = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (!match(x, y)) continue;
      count++;
      let score = 0;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (match(x + dx, y + dy)) score++;
      if (score > bestScore) {
        bestScore = score;
        best = { x, y };
      }
    }
  }
  return { count, best };
}

/** Whether the pixel at (x, y) — or one of its 8 neighbours — has the colour. */
export function pixelMatches(png: Buffer, x: number, y: number, hex: string, tolerance = 24): boolean {
  const img = PNG.sync.read(png);
  const [r, g, b] = hexToRgb(hex);
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const px = x + dx;
      const py = y + dy;
      if (px < 0 || py < 0 || px >= img.width || py >= img.height) continue;
      const i = (py * img.width + px) * 4;
      const d = Math.abs((img.data[i] ?? 0) - r) + Math.abs((img.data[i + 1] ?? 0) - g) + Math.abs((img.data[i + 2] ?? 0) - b);
      if (d <= tolerance) return true;
    }
  }
  return false;
}
