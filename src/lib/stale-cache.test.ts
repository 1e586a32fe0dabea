import { afterEach, describe, expect, it, vi } from 'vitest';
import { staleCache } from './stale-cache.ts';

afterEach(() => vi.useRealTimers());

describe('staleCache', () => {
  it('shares one load while fresh, serves stale with one background refresh, reloads when too old', async () => {
    vi.useFakeTimers({ now: 0 });
    const cache = staleCache<number>({ freshMs: 1000, staleMs: 5000, maxEntries: 10 });
    let loads = 0;
    let release: (v: number) => void = () => {};
    const load = () => {
      loads++;
      return new Promise<number>((r) => {
        release = r;
      });
    };
    const a = cache.get('k', load);
    const b = cache.get('k', load);
    release(1);
    expect(await a).toBe(1);
    expect(await b).toBe(1);
    expect(loads).toBe(1);

    vi.setSystemTime(2000); // stale: old value at once, one refresh behind it
    expect(await cache.get('k', load)).toBe(1);
    expect(await cache.get('k', load)).toBe(1);
    expect(loads).toBe(2);
    release(2);
    await Promise.resolve();
    await Promise.resolve();
    expect(await cache.get('k', load)).toBe(2);

    vi.setSystemTime(20_000); // too old: the reader waits for a new load
    const c = cache.get('k', load);
    expect(loads).toBe(3);
    release(3);
    expect(await c).toBe(3);
  });

  it('forgets a failed load and keeps the old value when a refresh fails', async () => {
    vi.useFakeTimers({ now: 0 });
    const cache = staleCache<string>({ freshMs: 1000, staleMs: 5000, maxEntries: 10 });
    await expect(cache.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('k', async () => 'up')).toBe('up');
    vi.setSystemTime(2000);
    expect(await cache.get('k', () => Promise.reject(new Error('down again')))).toBe('up');
    await Promise.resolve();
    expect(await cache.get('k', async () => 'later')).toBe('up'); // refresh failed; a new one runs
    await Promise.resolve();
    await Promise.resolve();
    expect(await cache.get('k', async () => 'never')).toBe('later');
  });

  it('stays bounded', async () => {
    const cache = staleCache<number>({ freshMs: 1000, staleMs: 5000, maxEntries: 3 });
    for (let i = 0; i < 10; i++) await cache.get(`k${i}`, async () => i);
    expect(cache.size).toBeLessThanOrEqual(3);
  });
});
