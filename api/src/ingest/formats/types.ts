/**
 * Contract between the format readers (one descriptor per format, like loaders.gl loaders) and
 * the load pipeline. Readers stream: they never hold a whole large file in memory.
 */
import type { Geometry } from 'geojson';

export const FORMAT_IDS = ['geojson', 'shapefile', 'geopackage', 'flatgeobuf', 'csv', 'kml', 'klic'] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

export type PropertyValue = string | number | boolean | null;

export interface SourceFeature {
  /** 1-based number of the feature in the file (the number an analyst sees in QGIS/ogrinfo order). */
  index: number;
  /** As read, in the source CRS; null when the feature has no geometry. Not validated or repaired. */
  geometry: Geometry | null;
  properties: Record<string, PropertyValue>;
  /** why the geometry could not be read (geometry is then null), e.g. 'bad WKT in column "WKT"' */
  issue?: string | undefined;
  /**
   * The geometry as the file stores it, as WKB, when the reader has it so (GeoPackage): a bulk
   * load in the same CRS checks and copies it without building `geometry` (which is then decoded
   * from it only when read).
   */
  wkb?: Uint8Array;
  /** the same WKB as hex text, when the reader has it so (preferred by the bulk load) */
  wkbHex?: string | undefined;
}

export interface CrsInfo {
  /** EPSG code of the source CRS; null when it could not be determined. */
  epsg: number | null;
  /**
   * where it came from: 'flatgeobuf' = the FlatGeobuf header; 'option' = the analyst's
   * OpenOptions.epsg ('csv-option' for CSV, where the option is the usual way to say it)
   */
  source: 'prj' | 'geopackage' | 'flatgeobuf' | 'geojson-crs' | 'kml' | 'csv-option' | 'option' | 'guessed' | 'unknown';
  /** true when detected from coordinate ranges (the report and UI must say so) */
  guessed: boolean;
  /** human-readable detail, e.g. 'PROJCS["Amersfoort / RD New" ...]' or 'coordinates 150000..200000 look like RD New' */
  detail: string;
}

export interface FieldInfo {
  name: string;
  /** 'string' | 'number' | 'boolean' | 'date' | 'unknown' */
  type: string;
}

export interface OpenedSource {
  format: FormatId;
  /** the file the user gave (zip name for zipped sources) */
  fileName: string;
  /** dataset/layer name inside it (shapefile base name, GeoPackage table, ...) */
  layerName: string;
  crs: CrsInfo;
  fields: FieldInfo[];
  /** other layers in the file (GeoPackage feature tables), when there is more than one */
  layers?: string[];
  /** text encoding used for attributes (shapefile .cpg, CSV), when the format has one */
  encoding?: string;
  /** known up-front where the format tells it (shp/gpkg/fgb), else null; for progress bars */
  featureCountHint: number | null;
  /**
   * streams the features in batches (≤ batchSize each), in file order; may be called once. With a
   * `share`, the reader may leave out (and need not decode) the features of other shares.
   */
  features(batchSize?: number, share?: Share): AsyncIterable<SourceFeature[]>;
  /** what a worker thread needs to open the same dataset again (load/parallel-stage.ts); absent: not reopenable */
  reopen?: ReopenSpec;
  /**
   * A text format whose features the load's thread can find in one scan and workers parse from
   * their bytes (GeoJSON): `locate` on the load's thread, `read` in a worker on the reopened source.
   */
  ranges?: {
    /** the features' places in the file by chunks of `size` features, in file order; may be called once */
    locate(size: number): AsyncIterable<FeatureRanges>;
    /** a chunk's features, as `features()` would have given them; throws what it would have thrown */
    read(chunk: FeatureRanges): Promise<SourceFeature[]>;
  };
  /** bytes of the source read so far and in total, for progress when the count is unknown */
  progress(): { bytesRead: number; bytesTotal: number };
  close(): Promise<void>;
}

/**
 * One of `count` workers' part of a source: the features of chunk c (c = ⌊(index − 1) ÷ size⌋)
 * belong to share c mod count. Feature numbers stay those of the whole file.
 */
export interface Share {
  index: number;
  count: number;
  size: number;
}

export function inShare(share: Share | undefined, featureIndex: number): boolean {
  return share === undefined || Math.floor((featureIndex - 1) / share.size) % share.count === share.index;
}

/** Where the features of one chunk are in the file (plain data: it crosses to a worker, `at` by transfer). */
export interface FeatureRanges {
  /** number of the chunk's first feature; the chunk holds `count` features from there */
  first: number;
  count: number;
  /** per feature, its first byte and the byte after its last in the file; NaN, NaN for one given in `values` */
  at: Float64Array;
  /** every feature is an element of one JSON array, one after another: the bytes between them are commas and spaces */
  oneArray: boolean;
  /** features the scan had to parse already (a top-level Feature or geometry), by position in the chunk */
  values: [number, unknown][];
}

/** A dataset opened before, to be opened again by a reader of this format (plain data: it crosses to a worker). */
export interface ReopenSpec {
  format: Exclude<FormatId, 'klic'>;
  /** the dataset file (unpacked from its zip, when it came in one) */
  path: string;
  fileName: string;
  where: string;
  limits: UploadLimits;
  options: OpenOptions;
}

/** Limits checked while streaming; exceeding one throws ImportInputError with status 413/400. */
export interface UploadLimits {
  maxFileBytes: number;
  maxZipEntries: number;
  maxUncompressedBytes: number;
  /** uncompressed / compressed, per entry and overall */
  maxCompressionRatio: number;
  /** longest single line/token the text readers accept (a 200 MB single line is refused) */
  maxLineBytes: number;
  /** deepest JSON nesting accepted */
  maxJsonDepth: number;
}

export const DEFAULT_LIMITS: UploadLimits = {
  maxFileBytes: 2 * 1024 ** 3,
  maxZipEntries: 1000,
  maxUncompressedBytes: 4 * 1024 ** 3,
  maxCompressionRatio: 100,
  maxLineBytes: 64 * 1024 ** 2,
  maxJsonDepth: 64,
};

export interface OpenOptions {
  limits?: UploadLimits;
  /** CSV: columns holding WKT or x/y, when not detected; CRS override for any format */
  csv?: { wktColumn?: string; xColumn?: string; yColumn?: string; delimiter?: ';' | ',' };
  /** force this EPSG (the analyst overrides a wrong/absent CRS) */
  epsg?: number;
  /** scratch directory for unpacking zips; removed by close() */
  workDir?: string;
  /** GeoPackage: the feature table to read (default: the first in gpkg_contents) */
  layer?: string;
  /** zip: the dataset entry to read when the zip holds more than one (e.g. 'bomen.shp') */
  entry?: string;
}

/**
 * A bad input file. `status` is the HTTP status to answer (400 unreadable, 413 too large,
 * 415 file type not allowed); `where` names the file/entry/feature/line.
 */
export class ImportInputError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413 | 415,
    readonly code: string,
    readonly where: string,
  ) {
    super(message);
    this.name = 'ImportInputError';
  }
}
