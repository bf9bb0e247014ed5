/**
 * Brute-force and flood protection: a sliding window of attempts per key (e.g. "login:ip" and
 * "login:email"). Over the limit the caller answers 429 with Retry-After. In memory: one API
 * process serves a deployment today (docs/architecture.md, decision 20).
 */
export interface Limit {
  max: number;
  windowMs: number;
}

export class AttemptLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: Limit,
    private readonly now: () => number = Date.now,
  ) {}

  /** seconds until another attempt is allowed for this key; 0 when allowed now */
  retryAfter(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.limit.max) return 0;
    const oldest = recent[recent.length - this.limit.max] ?? this.now();
    return Math.max(1, Math.ceil((oldest + this.limit.windowMs - this.now()) / 1000));
  }

  record(key: string): void {
    const recent = this.recent(key);
    recent.push(this.now());
    this.hits.set(key, recent);
    if (this.hits.size > 100_000) this.prune();
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.limit.windowMs;
    return (this.hits.get(key) ?? []).filter((t) => t > since);
  }

  private prune(): void {
    for (const key of [...this.hits.keys()]) if (this.recent(key).length === 0) this.hits.delete(key);
  }
}
