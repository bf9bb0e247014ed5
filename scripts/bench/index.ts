/**
 * `npm run bench` (every benchmark) or `npm run bench -- import|analysis|tiles|features|client|scale [--size N] [--repeat K] ...`.
 * Benchmarks compare against a reference tool in the same run and report ratios; they are
 * never timed unit tests. Results go to stdout and to .data/bench/<bench>-<timestamp>.json.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_SEED } from './generate-network.ts';
import { type FormatKey, FORMATS } from './import-report.ts';
import { runImportBench } from './import.ts';
import { runAnalysisBench } from './analysis.ts';
import { runTilesBench } from './tiles.ts';
import { runFeaturesBench } from './features.ts';
import { runClientBench } from './client.ts';
import { runScaleBench } from './scale.ts';

const USAGE = `usage: npm run bench -- [import] [analysis] [tiles] [features] [client] [scale] [--size N] [--repeat K] [--seed S] [--formats geojson,gpkg,shp] [--no-gist] [--profile] [--timeout S] [--seconds S] [--connections C]
  --size N      import: features in the SYNTHETIC layer; analysis, tiles, features, client, scale: asset segments of the SYNTHETIC city,
                with 0.3·N trees, 0.02·N works and 0.0005·N moratoria (default 1000000)
  --repeat K    timed runs per side (and format); medians are reported (default 3); client: journeys, each in a
                fresh browser context (all long tasks of all journeys are reported)
  --seed S      generator seed (default ${DEFAULT_SEED}); same seed and size reuse the files in .data/bench
  --formats     comma-separated subset of ${FORMATS.join(',')}
  --no-gist     skip the second GDAL row (GDAL with its default GiST index)
  --profile     import: after the timed runs, one untimed product run per format under node --cpu-prof, summarised;
                client: one more, untimed journey under a Chromium trace with the JS sampler, summarised per long task
  --timeout S   analysis: limit on every statement in the bench database while timing (default 300 s);
                a side that hits it is reported as "> S s" and not repeated
  --seconds S   tiles, features, scale: length of each wrk load run (default 10)
  --connections C  tiles, features, scale: open connections of each throughput run (default 8)`;

interface BenchArgs {
  benches: string[];
  size: number;
  repeat: number;
  seed: number;
  formats: FormatKey[];
  gdalGist: boolean;
  profile: boolean;
  timeout: number;
  seconds: number;
  connections: number;
}

function positiveInt(name: string, raw: string): number {
  const v = Number(raw.replaceAll('_', ''));
  if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer, not ${raw}\n${USAGE}`);
  return v;
}

function isFormat(f: string): f is FormatKey {
  return (FORMATS as readonly string[]).includes(f);
}

function parse(argv: string[]): BenchArgs | null {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      size: { type: 'string', default: '1000000' }, repeat: { type: 'string', default: '3' },
      seed: { type: 'string', default: String(DEFAULT_SEED) }, formats: { type: 'string', default: FORMATS.join(',') },
      'no-gist': { type: 'boolean', default: false }, profile: { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
      timeout: { type: 'string', default: '300' }, seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '8' },
    },
  });
  if (values.help) return null;
  const formats = values.formats.split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = formats.filter((f) => !isFormat(f));
  if (unknown.length || formats.length === 0) throw new Error(`--formats: unknown ${unknown.join(', ') || '(none given)'}\n${USAGE}`);
  return {
    benches: positionals.length ? positionals : Object.keys(BENCHES),
    size: positiveInt('size', values.size), repeat: positiveInt('repeat', values.repeat), seed: positiveInt('seed', values.seed),
    formats: formats.filter(isFormat), gdalGist: !values['no-gist'], profile: values.profile, timeout: positiveInt('timeout', values.timeout),
    seconds: positiveInt('seconds', values.seconds), connections: positiveInt('connections', values.connections),
  };
}

const BENCHES: Record<string, (a: BenchArgs) => Promise<void>> = {
  import: (a) => runImportBench({ size: a.size, repeat: a.repeat, seed: a.seed, formats: a.formats, gdalGist: a.gdalGist, profile: a.profile }),
  tiles: (a) => runTilesBench({ size: a.size, repeat: a.repeat, seed: a.seed, seconds: a.seconds, connections: a.connections }),
  features: (a) => runFeaturesBench({ size: a.size, repeat: a.repeat, seed: a.seed, seconds: a.seconds, connections: a.connections }),
  scale: (a) => runScaleBench({ size: a.size, repeat: a.repeat, seed: a.seed, seconds: a.seconds, connections: a.connections }),
  client: (a) => runClientBench({ size: a.size, repeat: a.repeat, seed: a.seed, profile: a.profile }),
  analysis: (a) => runAnalysisBench({ size: a.size, repeat: a.repeat, seed: a.seed, timeout: a.timeout, patches: 50, shifts: 50, viewWorks: 500 }),
};

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  if (!args) {
    console.log(USAGE);
    return;
  }
  const unknown = args.benches.filter((b) => !(b in BENCHES));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}\n${USAGE}`);
  for (const name of args.benches) await BENCHES[name]?.(args);
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
