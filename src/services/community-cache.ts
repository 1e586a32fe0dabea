/**
 * A short-lived in-process cache of rendered anonymous pages (topic pages, lists, feeds).
 * Entries live a few seconds at most and are all dropped when any process announces a forum
 * change ('community.changed' on the event bus), so readers never see stale pages for long.
 */
export interface PageCache {
  get(key: string): { body: string; type: string } | undefined;
  set(key: string, body: string, type: string): void;
  clear(): void;
  readonly size: number;
}

export function createPageCache(
  options: { ttlMs?: number; maxEntries?: number; maxBytes?: number } = {},
): PageCache {
  const ttl = options.ttlMs ?? 10_000;
  const maxEntries = options.maxEntries ?? 500;
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  const map = new Map<string, { body: string; type: string; at: number }>();
  let bytes = 0;
  const drop = (key: string) => {
    const e = map.get(key);
    if (e) bytes -= e.body.length;
    map.delete(key);
  };
  return {
    get(key) {
      const e = map.get(key);
      if (!e) return undefined;
      if (Date.now() - e.at > ttl) {
        drop(key);
        return undefined;
      }
      return e;
    },
    set(key, body, type) {
      drop(key);
      while (map.size >= maxEntries || (bytes + body.length > maxBytes && map.size > 0)) {
        drop(map.keys().next().value as string);
      }
      map.set(key, { body, type, at: Date.now() });
      bytes += body.length;
    },
    clear() {
      map.clear();
      bytes = 0;
    },
    get size() {
      return map.size;
    },
  };
}
