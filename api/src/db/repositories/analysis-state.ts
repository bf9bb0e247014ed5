/**
 * The stored findings (issue 6) are recomputed per work after an edit through the API. Imports
 * change many works or assets at once: they mark the findings stale inside their own transaction,
 * and the next reader recomputes everything (analysis/store.ts).
 */
export const MARK_FINDINGS_STALE = "DELETE FROM app_setting WHERE key = 'analysis_computed_at'";
