/**
 * Polling Reddit listings with stored cursors. Listings are newest first and page towards older
 * items with `after=<fullname>`. Per stream the cursor keeps the newest item already seen
 * (`<key>.newest`, `<key>.newestUtc`); a poll pages from the top until it meets that item (or an
 * older one). A backlog larger than one poll's page budget is resumed next poll from
 * `<key>.scanAfter`, and the top of the scan becomes `newest` only once the scan reaches the old
 * boundary, so nothing in between is skipped. A stream never seen before takes one page only.
 */
import type { InboundPost } from '../../domain/inbound-post.ts';
import type { SyncCursor } from '../types.ts';
import type { RedditClient } from './http.ts';
import { createdUtc, isDeleted, parseListing, type RedditThing, thingToPost } from './parse.ts';

export interface StreamSpec {
  key: string;
  path: string;
  params?: Record<string, string>;
  matchedBy: InboundPost['matchedBy'];
  /** Keep only things that pass (e.g. keyword match); default keeps all. */
  keep?: (t: RedditThing) => boolean;
}

export interface StreamOutcome {
  posts: InboundPost[];
  deleted: string[];
  /** true when the rate limit ran out mid-stream: the caller stops polling. */
  exhausted: boolean;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export async function pollStream(
  client: RedditClient,
  spec: StreamSpec,
  cursor: SyncCursor,
  opts: { channelId: string; ownHandle?: string; maxPages: number; pageSize: number },
): Promise<StreamOutcome> {
  const k = spec.key;
  const initialised = cursor[`${k}.init`] === 1;
  const newest = text(cursor[`${k}.newest`]);
  const newestUtc = num(cursor[`${k}.newestUtc`]) ?? 0;
  let after = text(cursor[`${k}.scanAfter`]);
  let scanTop = text(cursor[`${k}.scanTop`]);
  let scanTopUtc = num(cursor[`${k}.scanTopUtc`]);
  const posts: InboundPost[] = [];
  const deleted: string[] = [];
  let complete = false;
  let exhausted = false;
  for (let page = 0; page < opts.maxPages && !complete; page++) {
    const params: Record<string, string> = { ...(spec.params ?? {}), limit: String(opts.pageSize) };
    if (after) params.after = after;
    const res = await client.request('GET', spec.path, params);
    const listing = parseListing(res.body);
    const first = listing.things[0];
    if (!after && !scanTop && first) {
      scanTop = String(first.data.name);
      scanTopUtc = createdUtc(first);
    }
    for (const t of listing.things) {
      const utc = createdUtc(t);
      if (t.data.name === newest || (initialised && utc < newestUtc)) {
        complete = true;
        break;
      }
      if (isDeleted(t)) {
        deleted.push(String(t.data.name));
        continue;
      }
      if (opts.ownHandle && t.data.author === opts.ownHandle) continue;
      if (spec.keep && !spec.keep(t)) continue;
      const post = thingToPost(t, opts.channelId, spec.matchedBy);
      if (post) posts.push(post);
    }
    // A stream seen for the first time takes one page: no backfill of the whole history.
    if (!listing.after || listing.things.length === 0 || !initialised) complete = true;
    after = listing.after ?? undefined;
    if ((res.rateLimit?.remaining ?? 1) < 1) {
      exhausted = true;
      break;
    }
  }
  if (complete) {
    cursor[`${k}.init`] = 1;
    if (scanTop) {
      cursor[`${k}.newest`] = scanTop;
      cursor[`${k}.newestUtc`] = scanTopUtc ?? newestUtc;
    }
    delete cursor[`${k}.scanAfter`];
    delete cursor[`${k}.scanTop`];
    delete cursor[`${k}.scanTopUtc`];
  } else {
    cursor[`${k}.scanAfter`] = after ?? null;
    if (scanTop) cursor[`${k}.scanTop`] = scanTop;
    if (scanTopUtc !== undefined) cursor[`${k}.scanTopUtc`] = scanTopUtc;
  }
  return { posts, deleted, exhausted };
}
