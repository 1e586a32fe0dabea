/**
 * A small in-process stale-while-revalidate cache for approximate figures (inbox badges, filtered
 * counts) that are read far more often than they change meaningfully.
 *
 * - Younger than `freshMs`: the cached value (concurrent first reads share one load).
 * - Younger than `staleMs`: the cached value at once, and one background refresh behind it.
 * - Older, or never loaded: the reader waits for a load.
 * A failed load is forgotten (the next reader tries again); a failed refresh keeps the old value.
 */
export interface StaleCache<T> {
  get(key: string, load: () => Promise<T>): Promise<T>;
  clear(): void;
  readonly size: number;
}

interface Entry<T> {
  at: number;
  value: Promise<T>;
  refreshing?: Promise<void>;
}

export function staleCache<T>(options: {
  freshMs: number;
  staleMs: number;
  maxEntries: number;
}): StaleCache<T> {
  const entries = new Map<string, Entry<T>>();
  return {
    get(key, load) {
      const now = Date.now();
      const hit = entries.get(key);
      if (hit && now - hit.at < options.freshMs) return hit.value;
      if (hit && now - hit.at < options.staleMs) {
        hit.refreshing ??= load().then(
          (value) => {
            entries.set(key, { at: Date.now(), value: Promise.resolve(value) });
          },
          () => {
            hit.refreshing = undefined;
          },
        );
        return hit.value;
      }
      const value = load();
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      if (entries.size >= options.maxEntries) entries.clear();
      entries.set(key, { at: now, value });
      return value;
    },
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}
