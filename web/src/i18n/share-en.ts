import type { shareNl } from './share-nl.ts';

/** English text of the shareable link (issue 8); the same keys as share-nl.ts. */
export const shareEn: Record<keyof typeof shareNl, string> = {
  shareCopy: 'Copy link',
  shareCopyTitle: 'Copy a link to this map: view, layers, filters, time and selection',
  shareCopied: 'Link copied',
  shareCopyFailed: 'Could not copy: copy the link below',
  shareLinkField: 'Link to this map',
  shareClose: 'Close',
};
