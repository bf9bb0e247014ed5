/** Copying the new token's secret. The clipboard is passed in (absent on plain-http pages). */

export interface ClipboardLike {
  writeText(text: string): Promise<void>;
}

/** True when the text is on the clipboard; false when there is no clipboard or it refused. */
export async function copyText(text: string, clipboard: ClipboardLike | undefined): Promise<boolean> {
  if (clipboard === undefined) return false;
  try {
    await clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** The page's clipboard, where the browser offers one (secure contexts only). */
export function pageClipboard(): ClipboardLike | undefined {
  return typeof navigator !== 'undefined' && 'clipboard' in navigator ? navigator.clipboard : undefined;
}
