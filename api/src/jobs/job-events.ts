/**
 * Import-job events of one API process: NOTIFY samenhang_jobs (migration 019) from whichever
 * process changed a job reaches this process's change listener, and every event stream here that
 * follows that job gets the job as the database now has it. One read per notice per job (shared
 * by its streams), one read at a time per job, so streams never see an older state after a newer.
 *
 * While the listener is down notices may be lost: the followed jobs are then read every
 * `pollMs`, and all of them once more when it is back.
 */
import { JOB_CHANNEL, type ChangeTarget } from '../db/change-listener.ts';
import type { ImportJob } from './import-job.ts';

export type JobListener = (job: ImportJob) => void;

/** What a notice says (the trigger's payload). */
export interface JobNotice {
  id: string;
  state: string;
  /** a step waits for a worker */
  queued: boolean;
}

export function parseJobNotice(payload: string): JobNotice | null {
  try {
    const n = JSON.parse(payload) as Partial<JobNotice>;
    return typeof n.id === 'string' && typeof n.state === 'string' ? { id: n.id, state: n.state, queued: n.queued === true } : null;
  } catch {
    return null;
  }
}

export class JobEvents implements ChangeTarget {
  readonly channel = JOB_CHANNEL;
  private readonly listeners = new Map<string, Set<JobListener>>();
  private readonly reading = new Map<string, { again: boolean }>();
  private live = false;
  private poll: NodeJS.Timeout | null = null;

  constructor(
    private readonly read: (id: string) => Promise<ImportJob | null>,
    /** every notice, for the worker (wake on queued work, stop on cancel) */
    private readonly onNotice: (n: JobNotice) => void,
    private readonly pollMs = 1000,
  ) {}

  /** Follow one job; returns the unsubscribe. */
  subscribe(id: string, listener: JobListener): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    this.ensurePolling();
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(id) === set) this.listeners.delete(id);
    };
  }

  /** This process changed a job itself: its own streams need not wait for the notice. */
  touch(id: string): void {
    if (this.listeners.has(id)) this.refresh(id);
  }

  connected(): void {
    this.live = true;
    this.stopPolling();
    // what changed while nobody listened: read every followed job, and look for queued work
    for (const id of this.listeners.keys()) this.refresh(id);
    this.onNotice({ id: '', state: '', queued: true });
  }

  disconnected(): void {
    this.live = false;
    this.ensurePolling();
  }

  changed(payload: string): void {
    const n = parseJobNotice(payload);
    if (n === null) return;
    this.onNotice(n);
    if (this.listeners.has(n.id)) this.refresh(n.id);
  }

  close(): void {
    this.listeners.clear();
    this.stopPolling();
  }

  private refresh(id: string): void {
    const pending = this.reading.get(id);
    if (pending) {
      pending.again = true; // read once more when the read in flight is back: it may predate this change
      return;
    }
    const mark = { again: false };
    this.reading.set(id, mark);
    void (async () => {
      do {
        mark.again = false;
        const job = await this.read(id).catch(() => null);
        if (job) for (const l of [...(this.listeners.get(id) ?? [])]) l(job);
      } while (mark.again);
      this.reading.delete(id);
    })();
  }

  private ensurePolling(): void {
    if (this.live || this.poll !== null || this.listeners.size === 0) return;
    this.poll = setInterval(() => {
      if (this.live || this.listeners.size === 0) this.stopPolling();
      else for (const id of this.listeners.keys()) this.refresh(id);
    }, this.pollMs);
    this.poll.unref();
  }

  private stopPolling(): void {
    if (this.poll !== null) clearInterval(this.poll);
    this.poll = null;
  }
}
