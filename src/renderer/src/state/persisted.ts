import { useCallback, useState } from 'react';

const saved = new Map<string, unknown>();

/**
 * useState whose value outlives the component: a panel's form keeps what the analyst typed when they
 * switch tabs and come back (for this page's life; nothing is written to disk).
 */
export function usePersisted<T>(key: string, initial: T): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(() => (saved.has(key) ? (saved.get(key) as T) : initial));
  const set = useCallback(
    (v: T) => {
      saved.set(key, v);
      setValue(v);
    },
    [key],
  );
  return [value, set];
}
