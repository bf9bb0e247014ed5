/**
 * The municipalities the export dialog offers (GET /api/export/areas, issue 8), with the one under
 * the map's centre as the suggestion. Checked with zod before use.
 */
import { z } from 'zod';
import { ApiError, type ApiClient } from '../../api/client.ts';

const areasAnswer = z.object({
  areas: z.array(z.object({ code: z.string(), name: z.string() })),
  suggested: z.string().nullable(),
});
export type ExportAreas = z.infer<typeof areasAnswer>;

export async function getExportAreas(api: Pick<ApiClient, 'requestRaw'>, near: readonly [number, number] | null, signal?: AbortSignal): Promise<ExportAreas> {
  const path = `/api/export/areas${near ? `?near=${near.map((v) => v.toFixed(6)).join(',')}` : ''}`;
  const answer = await api.requestRaw(path, signal ? { signal } : {});
  const parsed = areasAnswer.safeParse(answer.body);
  if (answer.status !== 200 || !parsed.success) throw new ApiError(`${path}: HTTP ${answer.status}`, answer.status, 'http_error');
  return parsed.data;
}
