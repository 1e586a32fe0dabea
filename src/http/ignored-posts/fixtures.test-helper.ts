/**
 * Ignored posts made the real way for the tests: an admin's routing rule that ignores a keyword (through
 * the routing rules API) and posts through the real intake and drain — spam ignored by the default
 * policy, the keyword by the rule.
 */
import { randomUUID } from 'node:crypto';
import type { TestApp } from '../../../test/helpers/app.ts';
import { pipelineFixture } from '../pipeline/fixtures.test-helper.ts';

export const SPAM =
  'Click here to win a free iPhone!!! Follow and DM for crypto giveaway http://spam.example';
export const RAFFLE = 'I paid for the raffle twice and nobody answers, refund me now';
/** The keyword the test rule ignores, and its reason. */
export const RAFFLE_RULE = { name: 'Ignore raffles', keyword: 'raffle', reason: 'raffle chatter' };

type SignedIn = Awaited<ReturnType<TestApp['signIn']>>;

export async function ignoredPostsFixture(t: TestApp, admin: SignedIn) {
  const f = pipelineFixture(t);
  const channelId = randomUUID();
  await f.connect(channelId);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/routing-rules',
    headers: { cookie: admin.cookie, 'x-csrf-token': admin['x-csrf-token'] },
    payload: {
      name: RAFFLE_RULE.name,
      conditions: { keywords: { any: [RAFFLE_RULE.keyword] } },
      action: { queue: 'ignore', ignoreReason: RAFFLE_RULE.reason },
    },
  });
  if (res.statusCode !== 200 && res.statusCode !== 201) throw new Error(`rule not created: ${res.body}`);
  const ruleId: string = res.json().rule.id;

  /** Posts `text` as `author` (a new thread unless `thread`), drains, and returns the stored post's id. */
  async function ingest(author: string, text: string, over: { thread?: string; url?: string } = {}) {
    const post = f.post(channelId, author, text);
    if (over.thread) post.threadExternalId = over.thread;
    if (over.url) post.url = over.url;
    await f.enqueue([post]);
    await f.drain();
    const [row] = await f.q('select id from posts where external_id = $1', [post.externalId]);
    return { postId: row!.id as string, post };
  }
  return { f, channelId, ruleId, ingest };
}
