/**
 * The demo's X traffic: real customer-support tweets (TWCS sample) turned into a replay plan.
 * Customer tweets (inbound=True) that mention one of the listened brands are replayed in their
 * original order; a brand reply is replayed just before the customer's follow-up that answers it,
 * so `in_response_to` links survive and threads form in the X simulator.
 */

import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { X_MAX_QUERY } from '../channels/x/map.ts';
import { sharedDir } from '../lib/shared-dir.ts';

export const DEFAULT_TWEETS_CSV = sharedDir('data', 'twcs', 'sample_5000.csv');

export interface ReplayTweet {
  csvId: string;
  /** Customer or brand handle as it appears on the simulated X. */
  author: string;
  authorName: string;
  text: string;
  /** CSV id of the tweet this answers, when that tweet is part of the replay. */
  inReplyTo?: string;
  /** True for customer tweets: these pace the replay (the rate counts them only). */
  inbound: boolean;
}

export interface ReplayPlan {
  /** Brand handles the X channel listens for (without @). */
  handles: string[];
  tweets: ReplayTweet[];
  /** Customer tweets in the plan. */
  inboundCount: number;
}

interface Row {
  tweet_id: string;
  author_id: string;
  inbound: string;
  created_at: string;
  text: string;
  in_response_to_tweet_id: string;
}

/** CSV ids come as "12" or "12.0"; the anonymised customers are numeric ids. */
const id = (raw: string | undefined) => (raw ?? '').trim().replace(/\.0$/, '');
const customerHandle = (authorId: string) => (/^\d+$/.test(authorId) ? `user${authorId}` : authorId);
const rewriteMentions = (text: string) => text.replace(/@(\d+)\b/g, '@user$1');

/** Where the CSV is: an explicit path, EARSHOT_DEMO_TWEETS, the shared data set, or the repo copy. */
export function tweetsCsvPath(explicit?: string): string {
  return explicit ?? process.env.EARSHOT_DEMO_TWEETS ?? DEFAULT_TWEETS_CSV;
}

/** The most mentioned brands whose `@handle OR ...` search query fits X's query limit. */
export function pickHandles(inbound: readonly Row[], brands: ReadonlySet<string>, budget = X_MAX_QUERY - 60) {
  const counts = new Map<string, number>();
  for (const r of inbound)
    for (const m of r.text.matchAll(/@(\w+)/g)) {
      const h = m[1]!;
      if (brands.has(h)) counts.set(h, (counts.get(h) ?? 0) + 1);
    }
  const handles: string[] = [];
  let used = 2;
  for (const [h] of [...counts].sort((a, b) => b[1] - a[1])) {
    const cost = h.length + 5; // "@h OR "
    if (used + cost > budget) break;
    handles.push(h);
    used += cost;
  }
  return handles;
}

export function loadReplayPlan(csvPath = tweetsCsvPath()): ReplayPlan {
  const rows = (
    parse(readFileSync(csvPath), { columns: true, skip_empty_lines: true, relax_column_count: true }) as Row[]
  ).filter((r) => r.tweet_id && r.text);
  const byId = new Map(rows.map((r) => [id(r.tweet_id), r]));
  const brands = new Set(rows.filter((r) => r.inbound === 'False').map((r) => r.author_id));
  const inboundRows = rows.filter((r) => r.inbound === 'True');
  const handles = pickHandles(inboundRows, brands);
  const listened = new Set(handles.map((h) => h.toLowerCase()));
  const mentionsListened = (text: string) =>
    [...text.matchAll(/@(\w+)/g)].some((m) => listened.has(m[1]!.toLowerCase()));
  const when = (r: Row) => Date.parse(r.created_at) || 0;
  const chosen = inboundRows.filter((r) => mentionsListened(r.text)).sort((a, b) => when(a) - when(b));

  const tweets: ReplayTweet[] = [];
  const planned = new Set<string>();
  const add = (r: Row) => {
    const csvId = id(r.tweet_id);
    if (planned.has(csvId)) return;
    const parentId = id(r.in_response_to_tweet_id);
    const parent = parentId ? byId.get(parentId) : undefined;
    // a brand reply joins the plan only to carry a customer's follow-up into the same thread
    if (parent && parent.inbound === 'False' && r.inbound === 'True') add(parent);
    const inbound = r.inbound === 'True';
    const handle = customerHandle(r.author_id);
    tweets.push({
      csvId,
      author: handle,
      authorName: inbound ? `Customer ${r.author_id}` : r.author_id,
      text: rewriteMentions(r.text),
      inbound,
      ...(parent && planned.has(parentId) ? { inReplyTo: parentId } : {}),
    });
    planned.add(csvId);
  };
  for (const r of chosen) add(r);
  return { handles, tweets, inboundCount: chosen.length };
}
