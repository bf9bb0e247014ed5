/**
 * The area report API (issue 8) for the web app: the municipalities to choose from, starting a
 * report, its progress, and the links to the finished HTML and PDF. Answers are checked with zod;
 * errors become ApiError with the server's message.
 */
import { z } from 'zod';
import { ApiError, type ApiClient } from '../../api/client.ts';
import { isApiErrorBody } from '../../api/guards.ts';

type Raw = Pick<ApiClient, 'requestRaw'>;

const areas = z.object({ areas: z.array(z.object({ code: z.string(), name: z.string(), works: z.number() })) });
export type ReportAreaOption = z.infer<typeof areas>['areas'][number];

const job = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  progress: z.number(),
  step: z.string(),
  error: z.string().optional(),
});
export type ReportJob = z.infer<typeof job>;

async function call<T>(api: Raw, path: string, schema: z.ZodType<T>, init: { method?: string; body?: unknown; signal?: AbortSignal | undefined } = {}): Promise<T> {
  const answer = await api.requestRaw(path, {
    ...(init.method ? { method: init.method } : {}),
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  if (answer.status < 200 || answer.status > 299) {
    const e = isApiErrorBody(answer.body) ? answer.body.error : null;
    throw new ApiError(e?.message ?? `${path}: HTTP ${answer.status}`, answer.status, e?.code ?? 'http_error');
  }
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) throw new ApiError(`${path}: unexpected answer`, answer.status, 'bad_response');
  return parsed.data;
}

export const getReportAreas = async (api: Raw, signal?: AbortSignal): Promise<ReportAreaOption[]> =>
  (await call(api, '/api/reports/areas', areas, { signal })).areas;
export const startReport = (api: Raw, body: unknown): Promise<ReportJob> => call(api, '/api/reports', job, { method: 'POST', body });
export const getReport = (api: Raw, id: string, signal?: AbortSignal): Promise<ReportJob> => call(api, `/api/reports/${encodeURIComponent(id)}`, job, { signal });
export const reportUrl = (id: string, format: 'html' | 'pdf'): string => `/api/reports/${encodeURIComponent(id)}/report.${format}`;
