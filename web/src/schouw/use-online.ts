/** Whether the browser thinks it is online (navigator.onLine and the online/offline events). */
import { useEffect, useState } from 'react';

export function useOnline(win: Window | null, initial: boolean): boolean {
  const [online, setOnline] = useState(initial);
  useEffect(() => {
    if (!win) return undefined;
    const up = (): void => setOnline(true);
    const down = (): void => setOnline(false);
    win.addEventListener('online', up);
    win.addEventListener('offline', down);
    return () => {
      win.removeEventListener('online', up);
      win.removeEventListener('offline', down);
    };
  }, [win]);
  return online;
}
