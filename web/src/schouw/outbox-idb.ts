/**
 * The outbox in IndexedDB (raw API): database `samenhang-schouw`, object store `outbox`, items keyed
 * by the hotspot id. Blobs (the photo) are stored as they are; a reload loses nothing.
 */
import type { OutboxItem, OutboxStorage } from './outbox.ts';

export const DB_NAME = 'samenhang-schouw';
export const DB_VERSION = 1;
export const STORE = 'outbox';

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

export function openOutboxDb(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'id' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened'));
  });
}

/** Resolves when the transaction has committed (a put is durable only then). */
function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

export function createIdbStorage(factory: IDBFactory): OutboxStorage {
  let opening: Promise<IDBDatabase> | null = null;
  const db = (): Promise<IDBDatabase> => {
    opening ??= openOutboxDb(factory).then((opened) => {
      const reset = (): void => {
        opening = null;
      };
      // Closed by the browser, or another tab opens a newer version: reopen on the next call.
      opened.onclose = reset;
      opened.onversionchange = () => {
        opened.close();
        reset();
      };
      return opened;
    });
    opening.catch(() => {
      opening = null;
    });
    return opening;
  };
  async function write(change: (store: IDBObjectStore) => void): Promise<void> {
    const tx = (await db()).transaction(STORE, 'readwrite');
    const done = committed(tx);
    change(tx.objectStore(STORE));
    await done;
  }
  async function read<T>(query: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const tx = (await db()).transaction(STORE, 'readonly');
    return promised(query(tx.objectStore(STORE)));
  }
  return {
    put: (item) => write((store) => store.put(item)),
    delete: (id) => write((store) => store.delete(id)),
    get: (id) => read((store) => store.get(id) as IDBRequest<OutboxItem | undefined>),
    list: () => read((store) => store.getAll() as IDBRequest<OutboxItem[]>),
  };
}

/** The browser's IndexedDB, or null where there is none (or it is switched off). */
export function browserIndexedDb(win: Window): IDBFactory | null {
  try {
    return win.indexedDB ?? null;
  } catch {
    return null;
  }
}
