/**
 * `earshot ignored list [--reason R] [--channel KIND] [--before CURSOR] [--limit N]`: posts triage
 * ignored, newest first, after how many were ignored per reason in the last 7 days.
 * `earshot ignored restore POST_ID… [--queue support|marketing|moderation] [--intent INTENT]`: restore
 * them (all or none) as the app does: a conversation in the queue, or the customer's open one; audited
 * with no account (`via: cli`). Fields from posts are printed without control characters.
 * Usage errors exit 2; an unknown or already restored post exits 1 with one line.
 */
import type { Database } from '../../db/client.ts';
import { RESTORE_MAX_POSTS } from '../../domain/ignored-posts.ts';
import { IGNORED_PAGE, type IgnoredPostView, ignoredPostsService } from '../../services/ignored-posts.ts';
import { restoreIgnoredPosts } from '../../services/ignored-posts-restore.ts';
import { parseArgs } from '../flags.ts';
import { domainErrorExits1, runOneShot } from '../one-shot.ts';
import { oneLine, printable } from '../printable.ts';

const USAGE = `usage:
  earshot ignored list [--reason R] [--channel KIND] [--before CURSOR] [--limit N]
  earshot ignored restore POST_ID [POST_ID…] [--queue support|marketing|moderation] [--intent INTENT]`;

export type IgnoredCommand =
  | { kind: 'list'; reason?: string; channel?: string; before?: string; limit: number }
  | { kind: 'restore'; postIds: string[]; queue?: string; intent?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const given = (v: string | undefined) => (v === undefined || v === 'true' || v === '' ? undefined : v);

/** The command line → a command, or the one-line reason it is not one. */
export function parseIgnoredCommand(args: string[]): IgnoredCommand | string {
  const { positional, values } = parseArgs(args);
  const [action = 'list', ...ids] = positional;
  if (action === 'list' && ids.length === 0) {
    const limit = values.limit === undefined ? IGNORED_PAGE.default : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > IGNORED_PAGE.max) {
      return `--limit: a whole number from 1 to ${IGNORED_PAGE.max}`;
    }
    for (const flag of ['reason', 'channel', 'before'] as const) {
      if (values[flag] !== undefined && !given(values[flag])) return `--${flag} needs a value`;
    }
    return { kind: 'list', reason: values.reason, channel: values.channel, before: values.before, limit };
  }
  if (action === 'restore') {
    if (ids.length === 0 || ids.length > RESTORE_MAX_POSTS) {
      return `earshot ignored restore needs 1 to ${RESTORE_MAX_POSTS} post ids`;
    }
    const bad = ids.find((id) => !UUID.test(id));
    if (bad) return `not a post id: ${printable(bad)}`;
    for (const flag of ['queue', 'intent'] as const) {
      if (values[flag] !== undefined && !given(values[flag])) return `--${flag} needs a value`;
    }
    return { kind: 'restore', postIds: ids, queue: values.queue, intent: values.intent };
  }
  return USAGE;
}

function postLine(p: IgnoredPostView): string {
  const author = `${printable(p.channelKind)} @${printable(p.authorHandle)}`;
  const why = `${printable(p.reason)} (${printable(p.ignoredBy)})`;
  const text = JSON.stringify(printable(oneLine(p.text)).slice(0, 80));
  return `${p.postId}\t${p.ignoredAt}\t${why}\t${author}\t${p.intent ?? '-'}\t${text}`;
}

/** Runs a parsed command; `print` gets each line of the answer. Returns the exit code. */
export async function runIgnoredCommand(
  database: Pick<Database, 'db' | 'pool'>,
  cmd: IgnoredCommand,
  print: (line: string) => void,
): Promise<number> {
  return domainErrorExits1(async () => {
    if (cmd.kind === 'list') {
      const service = ignoredPostsService(database);
      const [page, reasons] = await Promise.all([service.list(cmd), service.counts()]);
      const counts = reasons.counts.map(
        (c) => `${printable(c.reason)} ${c.count}${reasons.capped ? '+' : ''}`,
      );
      print(`last ${reasons.days} days: ${counts.length > 0 ? counts.join(', ') : 'nothing ignored'}`);
      if (page.ignoredPosts.length === 0) print(cmd.before ? 'no older ignored posts' : 'no ignored posts');
      for (const p of page.ignoredPosts) print(postLine(p));
      if (page.nextBefore) print(`older: earshot ignored list --before ${page.nextBefore}`);
      return 0;
    }
    const restored = await restoreIgnoredPosts(
      database,
      { id: null, role: 'system', via: 'cli' },
      { postIds: cmd.postIds, queue: cmd.queue, intent: cmd.intent },
    );
    for (const r of restored) {
      const how = r.conversation === 'opened' ? 'opened in' : 'joined, in';
      print(
        `post ${r.postId} restored: conversation ${r.conversationId} ${how} ${r.queue} (intent ${r.intent})`,
      );
    }
    return 0;
  });
}

export const run = (args: string[]): Promise<number> =>
  runOneShot(args, parseIgnoredCommand, runIgnoredCommand);
