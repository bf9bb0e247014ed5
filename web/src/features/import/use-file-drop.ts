/**
 * Dropping a file on the map. Only drags that carry files count (not text or map features);
 * enter/leave are counted because they fire for every child element crossed.
 */
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';

export function carriesFiles(types: readonly string[] | DOMStringList | null | undefined): boolean {
  if (!types) return false;
  return Array.from(types as ArrayLike<string>).includes('Files');
}

export interface FileDrop {
  dragging: boolean;
  handlers: {
    onDragEnter: (e: DragEvent<HTMLElement>) => void;
    onDragOver: (e: DragEvent<HTMLElement>) => void;
    onDragLeave: (e: DragEvent<HTMLElement>) => void;
    onDrop: (e: DragEvent<HTMLElement>) => void;
  };
}

export function useFileDrop(onFile: (file: File) => void): FileDrop {
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);

  const onDragEnter = useCallback((e: DragEvent<HTMLElement>) => {
    if (!carriesFiles(e.dataTransfer.types)) return;
    e.preventDefault();
    depth.current += 1;
    setDragging(true);
  }, []);
  const onDragOver = useCallback((e: DragEvent<HTMLElement>) => {
    if (!carriesFiles(e.dataTransfer.types)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);
  const onDragLeave = useCallback((e: DragEvent<HTMLElement>) => {
    if (!carriesFiles(e.dataTransfer.types)) return;
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setDragging(false);
  }, []);
  const onDrop = useCallback(
    (e: DragEvent<HTMLElement>) => {
      if (!carriesFiles(e.dataTransfer.types)) return;
      e.preventDefault();
      depth.current = 0;
      setDragging(false);
      const file = e.dataTransfer.files[0];
      if (file) onFile(file);
    },
    [onFile],
  );
  return { dragging, handlers: { onDragEnter, onDragOver, onDragLeave, onDrop } };
}

/** A file dropped outside the map must not make the browser navigate away from the app. */
export function usePreventStrayDrops(): void {
  useEffect(() => {
    const stop = (e: globalThis.DragEvent): void => {
      if (carriesFiles(e.dataTransfer?.types)) e.preventDefault();
    };
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
    };
  }, []);
}
