/**
 * The most recent posts the router decided for, with what the pipeline stored about them, to replay
 * their routing under candidate rules (src/services/routing-try.ts). Routing decides once per new
 * conversation (its first post) and for each post routed to ignore; a post joining a conversation is
 * never routed, so it is not replayed.
 *
 * Bounded whatever the size of the tables: the newest `limit` conversations (index on created_at),
 * each with its first `routed` event and first inbound post (one probe of each table's index on
 * conversation id), and the newest `limit` ignored posts (index on their time, then posts by key);
 * the two merged newest first.
 */
import { sql } from 'drizzle-orm';
import type { ChannelKind, Intent, PriorityLevel, Sentiment } from '../../domain/types.ts';
import type { Db } from '../client.ts';

export interface RoutedPost {
  postId: string;
  text: string;
  channelKind: ChannelKind;
  channelId: string | null;
  isPrivate: boolean;
  language: string | null;
  intent: Intent;
  sentiment: Sentiment;
  complaintScore: number | null;
  /** The priority the router saw (from the `routed` event); null for ignored posts, which keep none. */
  priority: PriorityLevel | null;
  /** The author's followers (for ignored posts' priority). */
  followers: number | null;
  /** Where the pipeline routed it: the `routed` event's queue and team, or 'ignore'. */
  actual: { queue: string; team: string | null };
}

type Row = {
  post_id: string;
  text: string;
  channel_kind: string;
  channel_id: string | null;
  is_private: boolean;
  language: string | null;
  intent: string;
  sentiment: string;
  complaint_score: number | null;
  priority: string | null;
  followers: number | null;
  queue: string;
  team: string | null;
};

export async function recentRoutedPosts(db: Db, limit: number): Promise<RoutedPost[]> {
  const { rows } = await db.execute<Row>(sql`
    select * from (
      select p.id::text as post_id, p.text, p.channel_kind, p.channel_id::text as channel_id, p.is_private,
             p.language, coalesce(p.intent, c.intent) as intent, coalesce(p.sentiment, c.sentiment) as sentiment,
             coalesce(p.complaint_score, c.complaint_score) as complaint_score,
             coalesce(r.data->>'priority', c.priority) as priority, null::integer as followers,
             coalesce(r.data->>'queue', c.queue) as queue,
             case when r.data is null then c.team else r.data->>'team' end as team,
             p.received_at
        from (select id, intent, sentiment, complaint_score, priority, queue, team
                from conversations order by created_at desc limit ${limit}) c
        left join lateral (
          select e.data from conversation_events e
           where e.conversation_id = c.id and e.type = 'routed' order by e.at limit 1) r on true
        join lateral (
          select * from posts p
           where p.conversation_id = c.id and p.direction = 'inbound' order by p.posted_at limit 1) p on true
       -- A restored ignored post's queue was chosen by a person, not by the rules: nothing to replay.
       where r.data is null or not (r.data ? 'restored')
      union all
      select p.id::text, p.text, p.channel_kind, p.channel_id::text, p.is_private,
             p.language, coalesce(p.intent, 'spam'), coalesce(p.sentiment, 'neutral'), p.complaint_score,
             null, ci.followers, 'ignore', null, p.received_at
        from (select post_id from ignored_posts order by at desc limit ${limit}) i
        join posts p on p.id = i.post_id
        left join contact_identities ci on ci.id = p.author_identity_id
    ) recent
    order by received_at desc
    limit ${limit}`);
  return rows.map((r) => ({
    postId: r.post_id,
    text: r.text,
    channelKind: r.channel_kind as ChannelKind,
    channelId: r.channel_id,
    isPrivate: r.is_private,
    language: r.language,
    intent: r.intent as Intent,
    sentiment: r.sentiment as Sentiment,
    complaintScore: r.complaint_score === null ? null : Number(r.complaint_score),
    priority: r.priority as PriorityLevel | null,
    followers: r.followers,
    actual: { queue: r.queue, team: r.team },
  }));
}
