import { z } from 'zod';

const ConfigSchema = z.object({
  DATABASE_URL: z.string().min(1, 'DATABASE_URL is required'),
  /** a streaming replica of DATABASE_URL for tiles and OGC items pages (db/replica.ts); empty = none */
  DATABASE_REPLICA_URL: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  WORKING_SRID: z.coerce.number().int().positive().default(28992),
  /** Optional online raster basemap, e.g. PDOK BRT-Achtergrondkaart XYZ URL; empty = offline. */
  SAMENHANG_BASEMAP_TILES: z.string().optional(),
  SAMENHANG_BASEMAP_ATTRIBUTION: z.string().default(''),
  WEB_DIST: z.string().optional(),
  /** demo mode (default on): the sign-in page lists the demo accounts; set 0 in production */
  SAMENHANG_DEMO: z.enum(['0', '1']).default('1'),
  /** memory for vector tiles kept by this process (issue 9), in MB; 0 turns the cache off */
  SAMENHANG_TILE_CACHE_MB: z.coerce.number().min(0).max(65536).default(256),
  /** uploads of import jobs: every API process must see the same directory (on several machines a shared volume) */
  SAMENHANG_UPLOAD_DIR: z.string().min(1).optional(),
  /** seconds without a heartbeat after which an import job's process counts as dead and the job fails */
  SAMENHANG_JOB_LEASE_S: z.coerce.number().min(1).max(3600).default(30),
});

export interface AppConfig {
  databaseUrl: string;
  /** null: every read from DATABASE_URL */
  databaseReplicaUrl: string | null;
  port: number;
  host: string;
  workingSrid: number;
  basemap: { tiles: string[]; attribution: string } | null;
  webDist: string | null;
  demo: boolean;
  tileCacheBytes: number;
  /** null: the system temp directory's samenhang-uploads */
  uploadDir: string | null;
  jobLeaseMs: number;
}

/** Read configuration from the environment; the error lists every problem with its variable name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  return {
    databaseUrl: c.DATABASE_URL,
    databaseReplicaUrl: c.DATABASE_REPLICA_URL || null,
    port: c.PORT,
    host: c.HOST,
    workingSrid: c.WORKING_SRID,
    basemap: c.SAMENHANG_BASEMAP_TILES
      ? { tiles: c.SAMENHANG_BASEMAP_TILES.split(' ').filter(Boolean), attribution: c.SAMENHANG_BASEMAP_ATTRIBUTION }
      : null,
    webDist: c.WEB_DIST ?? null,
    demo: c.SAMENHANG_DEMO === '1',
    tileCacheBytes: Math.round(c.SAMENHANG_TILE_CACHE_MB * 1024 * 1024),
    uploadDir: c.SAMENHANG_UPLOAD_DIR ?? null,
    jobLeaseMs: Math.round(c.SAMENHANG_JOB_LEASE_S * 1000),
  };
}
