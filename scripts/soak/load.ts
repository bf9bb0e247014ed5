/**
 * An open-loop load generator (constant arrival rate) on node:http: each traffic class sends its
 * requests at fixed intended times (start + i / rate), whether or not earlier ones have been
 * answered, as many independent browsers would. Latency is measured from the intended time, so a
 * server that falls behind shows it in the percentiles (no coordinated omission), and a spike
 * reaches the server as the concurrency it would really see.
 *
 * autocannon (the issue names it) is closed-loop: its rate limit hands each connection its quota
 * at the start of every second (bursts of up to `connections` requests at once) and sends nothing
 * more while the server is slow, so under a 5× spike it lowers its own load instead of showing the
 * queue; it has no p95 either. Hence this small loop.
 */
import http from 'node:http';

export interface RequestSpec {
  /** what it is, for the per-kind breakdown (tile, works, items, search, patch, ...) */
  kind: string;
  method?: 'GET' | 'PATCH';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** told the answer (e.g. to keep the ETag of a PATCH) */
  onAnswer?: (status: number, headers: http.IncomingHttpHeaders) => void;
  /** told a socket error */
  onError?: () => void;
}

export interface TrafficClass {
  name: string;
  /** requests per second */
  rate: number;
  next(): RequestSpec;
}

/** Statuses that count as answered normally; during a spike 429/503 are "shed", not errors. */
export type Verdict = 'ok' | 'shed' | 'error';

interface KindCount {
  requests: number;
  errors: number;
  latencies: number[];
}

/** The raw observations of one class in one phase. */
export class Recorder {
  sent = 0;
  completed = 0;
  bytes = 0;
  cacheHits = 0;
  cacheMisses = 0;
  /** requests the generator could not send on time (its own backlog over the limit) */
  notSent = 0;
  /** GETs sent again after a reset of a reused keep-alive connection before any answer (as browsers do) */
  retried = 0;
  /** sends more than 50 ms after their intended time (the generator itself lagging), and the worst lag */
  lateSends = 0;
  maxLagMs = 0;
  readonly latencies: number[] = [];
  readonly statuses = new Map<number, number>();
  readonly socketErrors = new Map<string, number>();
  readonly kinds = new Map<string, KindCount>();

  kind(name: string): KindCount {
    let k = this.kinds.get(name);
    if (!k) this.kinds.set(name, (k = { requests: 0, errors: 0, latencies: [] }));
    return k;
  }
}

export interface PhaseOptions {
  baseUrl: string;
  seconds: number;
  classes: readonly TrafficClass[];
  agents: ReadonlyMap<string, http.Agent>;
  verdict: (status: number) => Verdict;
  /** a request unanswered this long after it was sent is a timeout (an error) */
  timeoutMs?: number;
  /** requests outstanding at once per class beyond which the generator counts them as not sent */
  maxOutstanding?: number;
  /** called about once a minute with the seconds run so far */
  progress?: (elapsed: number, recorders: ReadonlyMap<string, Recorder>) => void;
}

export interface PhaseRun {
  seconds: number;
  recorders: Map<string, Recorder>;
}

const TICK_MS = 4;
/** requests of one class open at once beyond which the generator gives up on more (counted as errors) */
export const MAX_OUTSTANDING = 4000;

function send(o: PhaseOptions, target: URL, agent: http.Agent, rec: Recorder, spec: RequestSpec, intended: number, done: () => void, retry = true): void {
  const kind = rec.kind(spec.kind);
  if (retry) {
    kind.requests++;
    const lag = performance.now() - intended;
    if (lag > 50) rec.lateSends++;
    rec.maxLagMs = Math.max(rec.maxLagMs, lag);
  }
  // an aborted answer may report both on the request and on the response: count it once
  let settled = false;
  const settle = (): boolean => !settled && (settled = true);
  const fail = (code: string): void => {
    if (!settle()) return;
    rec.socketErrors.set(code, (rec.socketErrors.get(code) ?? 0) + 1);
    kind.errors++;
    spec.onError?.();
    done();
  };
  const headers: Record<string, string> = { ...spec.headers };
  if (spec.body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(spec.body));
  }
  let answered = false;
  const req = http.request({ agent: retry ? agent : false, host: target.hostname, port: target.port, method: spec.method ?? 'GET', path: spec.path, headers }, (res) => {
    answered = true;
    let bytes = 0;
    res.on('data', (chunk: Buffer) => (bytes += chunk.length));
    res.on('error', (err: NodeJS.ErrnoException) => fail(err.code ?? 'response_error'));
    res.on('end', () => {
      if (!settle()) return;
      const ms = performance.now() - intended;
      const status = res.statusCode ?? 0;
      rec.completed++;
      rec.bytes += bytes;
      rec.latencies.push(ms);
      kind.latencies.push(ms);
      rec.statuses.set(status, (rec.statuses.get(status) ?? 0) + 1);
      if (o.verdict(status) === 'error') kind.errors++;
      const cache = res.headers['x-tile-cache'];
      if (cache === 'hit') rec.cacheHits++;
      else if (cache === 'miss') rec.cacheMisses++;
      spec.onAnswer?.(status, res.headers);
      done();
    });
  });
  req.setTimeout(o.timeoutMs ?? 10_000, () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
  req.on('error', (err: NodeJS.ErrnoException) => {
    // the server closed an idle keep-alive connection just as this request went out on it: nothing
    // was answered, and a browser sends such a GET again on a new connection; so does the soak (once,
    // on a connection of its own: the next idle one may have been closed as well)
    if (retry && req.reusedSocket && err.code === 'ECONNRESET' && (spec.method ?? 'GET') === 'GET' && !answered && !settled) {
      settled = true;
      rec.retried++;
      send(o, target, agent, rec, spec, intended, done, false);
      return;
    }
    const code = err.code ?? err.message;
    fail(code === 'ECONNRESET' ? `ECONNRESET on a ${req.reusedSocket ? 'reused' : 'new'} connection${answered ? ' after the headers' : ''}` : code);
  });
  req.end(spec.body);
}

/** Runs the classes at their rates for `seconds`, then waits for the answers still on their way. */
export async function runPhase(o: PhaseOptions): Promise<PhaseRun> {
  const target = new URL(o.baseUrl);
  const recorders = new Map(o.classes.map((c) => [c.name, new Recorder()]));
  const outstanding = new Map(o.classes.map((c) => [c.name, 0]));
  const limit = o.maxOutstanding ?? MAX_OUTSTANDING;
  const start = performance.now();
  let open = 0;
  let drained: (() => void) | null = null;
  const fire = (c: TrafficClass, intended: number): void => {
    const rec = recorders.get(c.name) as Recorder;
    const agent = o.agents.get(c.name);
    if (!agent) throw new Error(`no agent for traffic class ${c.name}`);
    rec.sent++;
    if ((outstanding.get(c.name) ?? 0) >= limit) {
      rec.notSent++;
      rec.socketErrors.set('generator_backlog', (rec.socketErrors.get('generator_backlog') ?? 0) + 1);
      return;
    }
    outstanding.set(c.name, (outstanding.get(c.name) ?? 0) + 1);
    open++;
    send(o, target, agent, rec, c.next(), intended, () => {
      outstanding.set(c.name, (outstanding.get(c.name) ?? 0) - 1);
      if (--open === 0) drained?.();
    });
  };
  const scheduled = new Map(o.classes.map((c) => [c.name, 0]));
  let reported = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = Math.min((performance.now() - start) / 1000, o.seconds);
      for (const c of o.classes) {
        // request i is due at i / rate: the first at once, the last just before the end
        const due = Math.min(Math.floor(c.rate * elapsed) + 1, Math.ceil(c.rate * o.seconds));
        for (let i = scheduled.get(c.name) ?? 0; i < due; i++) fire(c, start + (i * 1000) / c.rate);
        scheduled.set(c.name, due);
      }
      if (o.progress && elapsed - reported >= 60) o.progress((reported = elapsed), recorders);
      if (elapsed >= o.seconds) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  const seconds = (performance.now() - start) / 1000;
  if (open > 0) await new Promise<void>((resolve) => (drained = resolve));
  return { seconds, recorders };
}
