/** Pieces shared by bench/channels.ts and bench/channels-social.ts (same method, same columns). */
import type { ChannelAdapter, ChannelConfig, SyncCursor } from '../src/channels/types.ts';

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Parse rate: inject `n` posts into the simulator, then poll with the cursor until the adapter has
 * returned them all; wall time and polls needed.
 */
export async function parseRate(
  p: { name: string; adapter: ChannelAdapter; config: ChannelConfig },
  inject: (text: string) => void,
  n: number,
): Promise<{ seconds: number; polls: number; cursor: SyncCursor }> {
  let cursor = (await p.adapter.fetchInbound!(p.config, {})).cursor;
  for (let i = 0; i < n; i++) inject(`bulk ${i}`);
  const seen = new Set<string>();
  const started = performance.now();
  let polls = 0;
  while (seen.size < n && polls < 500) {
    const out = await p.adapter.fetchInbound!(p.config, cursor);
    for (const post of out.posts) if (post.text.includes('bulk ')) seen.add(post.externalId);
    cursor = out.cursor;
    polls += 1;
  }
  if (seen.size < n) throw new Error(`${p.name}: only ${seen.size}/${n} posts came back`);
  return { seconds: (performance.now() - started) / 1000, polls, cursor };
}
