/**
 * The API process's log: one JSON object per line (pino), so a log shipper (journald, Loki,
 * Elasticsearch, `jq`) can filter on fields without parsing prose. Lines up to `info` go to
 * stdout, `warn` and worse to stderr. Every line carries the process's instance id (the
 * X-Samenhang-Process header), so the lines of several processes behind a balancer stay apart;
 * request lines also carry the request id (request-log.ts).
 *
 * On a terminal (stdout is a TTY) the same lines are shown readable instead (`prettyLine`): a
 * developer running `npm start` reads prose, a service manager gets JSON.
 */
import { hostname } from 'node:os';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** this process's id among several (newInstanceId); on every line */
  instance?: string;
  /** where the lines go instead of stdout/stderr (tests capture them here) */
  destination?: DestinationStream;
  /** default info; `silent` writes nothing */
  level?: string;
  /** human-readable lines; default: when stdout is a terminal and no destination is given */
  pretty?: boolean;
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** fields every line has, left out of the readable form (shown in front, or of no use on a terminal) */
const SHOWN_APART = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'instance']);

/** One JSON log line as a terminal line: `12:03:04.567 INFO  msg key=value …`; a line that is not JSON as it is. */
export function prettyLine(line: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof o.time === 'number' ? new Date(o.time).toISOString().slice(11, 23) : '';
  const level = (LEVELS[typeof o.level === 'number' ? o.level : 30] ?? 'INFO').padEnd(5);
  const rest = Object.entries(o).filter(([k]) => !SHOWN_APART.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
  return `${time} ${level} ${typeof o.msg === 'string' ? o.msg : ''}${rest ? `  ${rest}` : ''}\n`;
}

function prettyStream(out: NodeJS.WritableStream): DestinationStream {
  return { write: (line: string) => void out.write(prettyLine(line)) };
}

/** The process's logger (main.ts makes one; tests pass their own destination). */
export function createLogger(options: LoggerOptions = {}): Logger {
  const opts = {
    name: 'samenhang',
    level: options.level ?? 'info',
    base: { pid: process.pid, hostname: hostname(), ...(options.instance === undefined ? {} : { instance: options.instance }) },
  };
  if (options.destination) return pino(opts, options.destination);
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  // written at once, as console.log is on Linux pipes: nothing waits in a buffer when the process exits
  const out = pretty ? prettyStream(process.stdout) : pino.destination({ dest: 1, sync: true });
  const err = pretty ? prettyStream(process.stderr) : pino.destination({ dest: 2, sync: true });
  // dedupe: a line goes only to the stream of the highest level it reaches (warn+ → stderr only)
  return pino(opts, pino.multistream([{ level: 'trace', stream: out }, { level: 'warn', stream: err }], { dedupe: true }));
}

/** A logger that writes nothing (an app created without one: the tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** The `(msg: string) => void` callbacks of AppDeps, ImportJobs and the listener, onto the logger. */
export function logFunctions(logger: Logger): { info: (msg: string) => void; warn: (msg: string) => void; error: (msg: string) => void } {
  return { info: (msg) => logger.info(msg), warn: (msg) => logger.warn(msg), error: (msg) => logger.error(msg) };
}
