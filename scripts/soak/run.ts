/**
 * The soak of issue 10 §5: `minutes` at 200 tiles/s + 20 API requests/s against the real server
 * process on a fresh demo database, then a spike at 5× (429/503 allowed; any other status fails;
 * timeouts and connection errors are counted as warnings), then the server must answer its health
 * check within 5 s and a short phase at 1× with no error.
 * A warm-up of 10 s at 1× comes first (shown in the table, not judged: a fresh process compiles
 * its code and fills its caches). The server's resident set is sampled every second from the
 * start of the soak. The smoke (`npm test`): 5 s warm-up, 30 s, a 5 s spike, 5 s recovery.
 */
import http from 'node:http';
import { MAX_OUTSTANDING, type Recorder, type TrafficClass, type Verdict, runPhase } from './load.ts';
import { type MetricsSnapshot, type RssFigures, RssSampler, metricsSnapshot } from './memory.ts';
import { prepare } from './prepare.ts';
import { type ClassSummary, normalVerdict, spikeVerdict, summarise } from './report.ts';
import { type SoakServer, rssMb, startSoakServer } from './server.ts';
import { apiMix, seeded, tileMix, tilePools } from './traffic.ts';

export interface SoakOptions {
  /** a PostgreSQL server URL on which the soak creates (and drops) its database */
  serverUrl: string;
  smoke: boolean;
  /** length of the soak phase (the smoke: 0.5) */
  minutes: number;
  tileRate?: number;
  apiRate?: number;
  spikeFactor?: number;
  /** environment of the server process, e.g. SAMENHANG_MAX_INFLIGHT */
  serverEnv?: Record<string, string>;
  log: (msg: string) => void;
}

export interface SoakSettings {
  warmUpSeconds: number;
  soakSeconds: number;
  tileRate: number;
  apiRate: number;
  spikeFactor: number;
  spikeSeconds: number;
  recoverySeconds: number;
  maxInflight: string;
}

export interface SoakResult {
  ok: boolean;
  failures: string[];
  /** counted, not failed: timeouts and connection errors during the spike */
  warnings: string[];
  startedAt: string;
  settings: SoakSettings;
  phases: ClassSummary[];
  rss: RssFigures;
  /** PATCHes of the edited work answered 200 during the soak */
  edits: number;
  /** /api/metrics gauges (heap, tile cache) at the start and end of the soak and after the recovery */
  metrics: { soakStart: MetricsSnapshot; soakEnd: MetricsSnapshot; end: MetricsSnapshot };
  /** seconds after the spike until /api/health answered 200 (null: it did not within 30 s) */
  healthAfterSpikeS: number | null;
  serverAlive: boolean;
  seconds: number;
}

async function healthWithin(baseUrl: string, ms: number): Promise<number | null> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    const ok = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status === 200, () => false);
    if (ok) return (Date.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 200));
  }
  return null;
}

const progressLog = (log: (m: string) => void, phase: string) => (elapsed: number, recs: ReadonlyMap<string, Recorder>) =>
  log(`${phase} ${Math.round(elapsed)} s: ${[...recs.entries()].map(([n, r]) => `${n} ${r.completed}/${r.sent} answered, ${[...r.statuses.entries()].map(([s, c]) => `${s}×${c}`).join(' ')}`).join('; ')}`);

const errorText = (r: ClassSummary) => `${r.phase} ${r.class}: ${r.errors} errors (statuses ${JSON.stringify(r.statuses)}, sockets ${JSON.stringify(r.socketErrors)})`;

/** At 1× every error fails; rates within `rateTolerance` of their targets and every request answered. */
function checkPhase(rows: readonly ClassSummary[], failures: string[], rateTolerance: number): void {
  for (const r of rows) {
    if (r.errors > 0) failures.push(errorText(r));
    if (Math.abs(r.achievedRate - r.targetRate) > rateTolerance * r.targetRate) {
      failures.push(`${r.phase} ${r.class}: ${r.achievedRate}/s sent, target ${r.targetRate}/s`);
    }
    if (r.answered < r.requests) failures.push(`${r.phase} ${r.class}: ${r.requests - r.answered} of ${r.requests} unanswered`);
  }
}

type Outcome = Pick<SoakResult, 'phases' | 'edits' | 'metrics' | 'healthAfterSpikeS'>;

/** warm-up → soak → spike → health → recovery, against a started server; failures are pushed. */
async function runPhases(server: SoakServer, s: SoakSettings, smoke: boolean, rss: RssSampler, failures: string[], warnings: string[], log: (m: string) => void): Promise<Outcome> {
  // as many connections as requests outstanding (runPhase's limit): a crowd of browsers queues at
  // the server, never in a pool of the generator's own, which would hide the queue from both
  const agents = new Map([
    ['tiles', new http.Agent({ keepAlive: true, maxSockets: MAX_OUTSTANDING })],
    ['api', new http.Agent({ keepAlive: true, maxSockets: MAX_OUTSTANDING })],
  ]);
  const out: Outcome = { phases: [], edits: 0, metrics: { soakStart: null, soakEnd: null, end: null }, healthAfterSpikeS: null };
  try {
    const p = await prepare(server.baseUrl, server.area, smoke ? 2000 : 3000);
    const rand = seeded(20261129);
    const tiles = tileMix(tilePools(server.area), p.layers, p.main, p.other, rand);
    const api = apiMix(p.api, p.layers, rand);
    const run = async (name: string, seconds: number, factor: number, verdict: (st: number) => Verdict): Promise<ClassSummary[]> => {
      rss.phase = name;
      const classes: TrafficClass[] = [{ name: 'tiles', rate: s.tileRate * factor, next: tiles }, { name: 'api', rate: s.apiRate * factor, next: api.next }];
      log(`${name}: ${seconds} s at ${s.tileRate * factor} tiles/s + ${s.apiRate * factor} API/s`);
      const r = await runPhase({ baseUrl: server.baseUrl, seconds, classes, agents, verdict, progress: progressLog(log, name) });
      const rows = summarise(name, r, new Map(classes.map((c) => [c.name, c.rate])), verdict);
      out.phases.push(...rows);
      return rows;
    };
    await rss.markIdle();
    await run('warm-up', s.warmUpSeconds, 1, normalVerdict);
    const warmUpEdits = api.edits();
    rss.restart();
    out.metrics.soakStart = await metricsSnapshot(server.baseUrl);
    checkPhase(await run('soak', s.soakSeconds, 1, normalVerdict), failures, 0.1);
    out.metrics.soakEnd = await metricsSnapshot(server.baseUrl);
    out.edits = api.edits() - warmUpEdits;
    if (out.edits === 0) failures.push('soak: no PATCH of a work succeeded');
    // the spike may be refused (429/503) but not answered wrongly; requests that timed out or whose
    // connection failed are counted and shown (the process could not even refuse that fast), while
    // "must not crash" is judged by the health check and the recovery phase after it
    for (const r of await run('spike', s.spikeSeconds, s.spikeFactor, spikeVerdict)) {
      if (r.httpErrors > 0) failures.push(errorText(r));
      else if (r.errors > 0) warnings.push(errorText(r));
    }
    rss.phase = 'recovery';
    const after = (out.healthAfterSpikeS = await healthWithin(server.baseUrl, 30_000));
    if (after === null || after > 5) failures.push(`after the spike /api/health answered 200 ${after === null ? 'not within 30 s' : `only after ${after} s`}`);
    checkPhase(await run('recovery', s.recoverySeconds, 1, normalVerdict), failures, 0.1);
    out.metrics.end = await metricsSnapshot(server.baseUrl);
    return out;
  } finally {
    for (const a of agents.values()) a.destroy();
  }
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const started = Date.now();
  const settings: SoakSettings = {
    warmUpSeconds: o.smoke ? 5 : 10, soakSeconds: Math.round(o.minutes * 60), tileRate: o.tileRate ?? 200, apiRate: o.apiRate ?? 20,
    spikeFactor: o.spikeFactor ?? 5, spikeSeconds: o.smoke ? 5 : 60, recoverySeconds: o.smoke ? 5 : 15,
    maxInflight: o.serverEnv?.SAMENHANG_MAX_INFLIGHT ?? process.env.SAMENHANG_MAX_INFLIGHT ?? 'default',
  };
  const server = await startSoakServer(o.serverUrl, o.log, o.serverEnv);
  const rss = new RssSampler(server.pid);
  const failures: string[] = [];
  const warnings: string[] = [];
  let outcome: Outcome;
  try {
    outcome = await runPhases(server, settings, o.smoke, rss, failures, warnings, o.log);
  } catch (err) {
    await server.close().catch(() => undefined);
    throw err;
  } finally {
    rss.stop();
  }
  const serverAlive = (await rssMb(server.pid)) !== null;
  if (!serverAlive) failures.push(`the server process ${server.pid} is gone:\n${server.app.output().slice(-3000)}`);
  await server.close();
  return {
    ok: failures.length === 0, failures, warnings, startedAt: new Date(started).toISOString(), settings, ...outcome,
    rss: rss.figures(settings.soakSeconds), serverAlive, seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}
