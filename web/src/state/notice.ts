/**
 * One small non-blocking message (usually an API error). The text is kept as
 * a message key plus a detail, so it follows a language switch.
 */
import type { MessageKey } from '../i18n/index.ts';

export type Notice = { readonly seq: number; readonly key: MessageKey; readonly detail: string } | null;

export type NoticeAction =
  | { type: 'notice/show'; key: MessageKey; detail: string }
  | { type: 'notice/dismiss'; seq?: number };

export const initialNotice: Notice = null;

export function updateNotice(state: Notice, action: NoticeAction): Notice {
  switch (action.type) {
    case 'notice/show':
      return { seq: (state?.seq ?? 0) + 1, key: action.key, detail: action.detail };
    case 'notice/dismiss':
      // A dismiss for an older notice must not close a newer one.
      if (state === null || (action.seq !== undefined && action.seq !== state.seq)) return state;
      return null;
  }
}
