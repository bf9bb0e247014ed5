/**
 * The generic import's entry point: detect the format (extension AND content, allow-list only),
 * unpack a zip safely, and open the one reader that fits.
 *
 * KLIC deliveries are detected but not read here: openSource returns a source with format 'klic'
 * whose features() throws, and the pipeline hands the zip to the KLIC importer
 * (api/src/ingest/klic). `isKlicZip(path)` answers the same question without opening a source.
 */
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { SUPPORTED_EPSG, isSupportedEpsg } from '../crs/reproject.ts';
import { type ReaderContext, badInput, limitsOf, tooLarge } from './common.ts';
import { detectFormatWith, formatOfZip, sniffFile } from './detect-format.ts';
import { type FormatId, type OpenOptions, type OpenedSource, type ReopenSpec, type UploadLimits } from './types.ts';
import { extractEntries, listZip } from './zip.ts';
import { type ReadableFormat, chooseDataset } from './zip-dataset.ts';

export { ImportInputError } from './types.ts';
export type { CrsInfo, FieldInfo, FormatId, OpenOptions, OpenedSource, SourceFeature, UploadLimits } from './types.ts';

/**
 * Each reader is loaded when a file of its format comes: the CSV, FlatGeobuf and KML readers pull
 * in loaders.gl, ~0.5 s of a command-line import's start that a GeoPackage or Shapefile never needs.
 */
const READERS: Readonly<Record<ReadableFormat, (ctx: ReaderContext) => Promise<OpenedSource>>> = {
  geojson: async (ctx) => (await import('./geojson.ts')).openGeoJson(ctx),
  shapefile: async (ctx) => (await import('./shapefile.ts')).openShapefile(ctx),
  geopackage: async (ctx) => (await import('./geopackage.ts')).openGeoPackage(ctx),
  flatgeobuf: async (ctx) => (await import('./flatgeobuf.ts')).openFlatGeobuf(ctx),
  csv: async (ctx) => (await import('./csv.ts')).openCsv(ctx),
  kml: async (ctx) => (await import('./kml.ts')).openKml(ctx),
};

async function checkFileSize(path: string, limits: UploadLimits): Promise<void> {
  const fileName = basename(path);
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw badInput(fileName, 'not_a_file', 'not a regular file');
    size = s.size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw badInput(fileName, 'not_found', 'file not found');
    throw err;
  }
  if (size > limits.maxFileBytes) throw tooLarge(fileName, 'file_too_large', `the file is ${size} bytes (limit ${limits.maxFileBytes})`);
}

/**
 * Detect a file's format: by extension and content; a zip is listed (not unpacked) and reported
 * as 'klic' or as the format of the one dataset inside. Throws ImportInputError (415 for a type
 * that is not allowed, 400/413 for a hostile zip).
 */
export async function detectFormat(path: string, options: OpenOptions = {}): Promise<FormatId> {
  const limits = limitsOf(options);
  await checkFileSize(path, limits);
  return detectFormatWith(path, limits, options.entry);
}

/** True when `path` is a zip holding a KLIC delivery (GI_gebiedsinformatielevering*.xml). */
export async function isKlicZip(path: string, options: OpenOptions = {}): Promise<boolean> {
  return (await detectFormat(path, options).catch(() => null)) === 'klic';
}

function klicSource(fileName: string): OpenedSource {
  return {
    format: 'klic',
    fileName,
    layerName: fileName.replace(/\.zip$/i, ''),
    crs: { epsg: 28992, source: 'unknown', guessed: false, detail: 'a KLIC delivery is in RD New (EPSG:28992); read by the KLIC importer' },
    fields: [],
    featureCountHint: null,
    features: () => {
      throw new Error(`${fileName}: a KLIC delivery is read by the KLIC importer (parseKlicZip), not as generic features`);
    },
    progress: () => ({ bytesRead: 0, bytesTotal: 0 }),
    close: async () => undefined,
  };
}

/**
 * A fresh directory to unpack into: under options.workDir (created if needed) or os.tmpdir().
 * The cleanup removes workDir itself when this call created it, else only the fresh directory.
 */
async function scratchDir(options: OpenOptions): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const workDir = options.workDir;
  if (workDir === undefined) {
    const dir = await mkdtemp(join(tmpdir(), 'samenhang-import-'));
    return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
  }
  const existed = await stat(workDir).then(
    () => true,
    () => false,
  );
  await mkdir(workDir, { recursive: true });
  const dir = await mkdtemp(join(workDir, 'unzip-'));
  return { dir, cleanup: () => rm(existed ? dir : workDir, { recursive: true, force: true }) };
}

async function openZipped(path: string, options: OpenOptions, limits: UploadLimits): Promise<OpenedSource> {
  const fileName = basename(path);
  const entries = await listZip(path, fileName, limits);
  if (formatOfZip(entries, fileName, options.entry) === 'klic') return klicSource(fileName);
  const choice = chooseDataset(entries, fileName, options.entry);
  const { dir, cleanup } = await scratchDir(options);
  try {
    const written = await extractEntries(path, fileName, choice.extract, dir, limits);
    const datasetPath = written.get(choice.entry) ?? join(dir, basename(choice.entry));
    const ctx = { path: datasetPath, fileName, where: `${fileName}: ${choice.entry}`, limits, options };
    const source = await READERS[choice.format](ctx);
    return {
      ...source,
      reopen: { format: choice.format, ...ctx },
      close: async () => {
        await source.close();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/**
 * Open an uploaded file for streaming. Zips are unpacked (only the dataset's entries, with the
 * limits checked while streaming) into options.workDir or a fresh directory under os.tmpdir(),
 * which close() removes. The CRS is the analyst's override (options.epsg), else the file's,
 * else guessed from the coordinates (crs.guessed says so).
 */
export async function openSource(path: string, options: OpenOptions = {}): Promise<OpenedSource> {
  const limits = limitsOf(options);
  await checkFileSize(path, limits);
  const sniffed = await sniffFile(path);
  if (sniffed === 'zip') return checkOpened(await openZipped(path, options, limits));
  const fileName = basename(path);
  const ctx = { path, fileName, where: fileName, limits, options };
  return checkOpened({ ...(await READERS[sniffed](ctx)), reopen: { format: sniffed, ...ctx } });
}

/** The dataset of an opened source, opened again (in a worker thread) to read a share of its features. */
export async function reopenSource(spec: ReopenSpec): Promise<OpenedSource> {
  const { format, ...ctx } = spec;
  return READERS[format](ctx);
}

/**
 * The layer name comes from inside the file (FlatGeobuf header, GeoPackage table): control
 * characters go, as PostgreSQL text cannot hold a NUL (a fuzzed FlatGeobuf name failed the job as a 500).
 */
function withPrintableLayerName(source: OpenedSource): OpenedSource {
  // eslint-disable-next-line no-control-regex
  const printable = source.layerName.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (printable === source.layerName) return source;
  return { ...source, layerName: printable || source.fileName.replace(/\.[^.]*$/, '') };
}

/**
 * Checked on every opened source. A CRS we cannot project from (the file's, or the analyst's
 * ?epsg=) is refused when the file is opened: loaded, its coordinates would land unprojected as if they were in the working CRS
 * (hostile-files chaos run, issue 10: a GeoPackage in srs_id 999999 loaded that way).
 */
async function checkOpened(source: OpenedSource): Promise<OpenedSource> {
  const epsg = source.crs.epsg;
  if (epsg === null || isSupportedEpsg(epsg)) return withPrintableLayerName(source);
  await source.close();
  const said = source.crs.source === 'option' || source.crs.source === 'csv-option' ? 'the EPSG code given' : 'the file';
  throw badInput(source.fileName, 'unsupported_crs',
    `${said} names EPSG:${epsg}, which is not a supported coordinate system (supported: ${SUPPORTED_EPSG.map((c) => `EPSG:${c}`).join(', ')}); `
    + 'upload it again with the EPSG code of its coordinates (?epsg=), or convert it first');
}
