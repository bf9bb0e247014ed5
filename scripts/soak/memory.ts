/**
 * The server's memory during the soak: its resident set from /proc/<pid>/status every second, and
 * the heap and tile-cache gauges of /api/metrics at the turns of the run (a tile cache filling up
 * is not a leak; a heap that keeps growing once it is full would be).
 */
import { rssMb } from './server.ts';

export interface RssFigures {
  /** after start-up and sign-in, before any load */
  idleMb: number | null;
  /** at the start of the soak (after the warm-up) */
  startMb: number | null;
  soakEndMb: number | null;
  soakMaxMb: number | null;
  spikeMaxMb: number | null;
  endMb: number | null;
  /** growth over the second half of the soak, per minute (after the caches have filled) */
  secondHalfMbPerMin: number | null;
  /** [seconds since the soak began, MB], one every 10 s */
  samples: [number, number][];
}

interface Sample { t: number; phase: string; mb: number }

/** Resident set once a second, labelled with the phase of the moment; restart() at the soak's start. */
export class RssSampler {
  phase = 'idle';
  idleMb: number | null = null;
  private samples: Sample[] = [];
  private t0 = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.timer = setInterval(() => void rssMb(pid).then((mb) => {
      if (mb !== null) this.samples.push({ t: (performance.now() - this.t0) / 1000, phase: this.phase, mb });
    }), 1000);
  }

  async markIdle(): Promise<void> {
    this.idleMb = await rssMb(this.pid);
  }

  restart(): void {
    this.t0 = performance.now();
    this.samples = [];
  }

  stop(): void {
    clearInterval(this.timer);
  }

  figures(soakSeconds: number): RssFigures {
    const all = this.samples;
    const of = (phase: string) => all.filter((s) => s.phase === phase).map((s) => s.mb);
    const max = (v: number[]) => (v.length ? Math.max(...v) : null);
    const soak = of('soak');
    const half = all.filter((s) => s.phase === 'soak' && s.t >= soakSeconds / 2);
    const first = half[0];
    const last = half[half.length - 1];
    const slope = first && last && last.t - first.t >= 10 ? Math.round(((last.mb - first.mb) / ((last.t - first.t) / 60)) * 100) / 100 : null;
    return {
      idleMb: this.idleMb, startMb: all[0]?.mb ?? null, soakEndMb: soak[soak.length - 1] ?? null, soakMaxMb: max(soak),
      spikeMaxMb: max(of('spike')), endMb: all[all.length - 1]?.mb ?? null, secondHalfMbPerMin: slope,
      samples: all.filter((s, i) => i === 0 || Math.floor(s.t / 10) !== Math.floor((all[i - 1] as Sample).t / 10)).map((s) => [Math.round(s.t), s.mb]),
    };
  }
}

/** Gauges of /api/metrics that tell a full cache from a leak; null when the server has no metrics. */
const WATCHED = ['nodejs_heap_size_used_bytes', 'samenhang_tile_cache_bytes', 'samenhang_tile_cache_entries', 'process_resident_memory_bytes'];
export type MetricsSnapshot = Record<string, number> | null;

export async function metricsSnapshot(baseUrl: string): Promise<MetricsSnapshot> {
  const res = await fetch(`${baseUrl}/api/metrics`, { signal: AbortSignal.timeout(5000) }).catch(() => null);
  if (!res || res.status !== 200) return null;
  const text = await res.text();
  const out: Record<string, number> = {};
  for (const name of WATCHED) {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
    if (m) out[name] = Number(m[1]);
  }
  return out;
}
