import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MastodonSim, startMastodonSim } from '../../sim/mastodon/server.ts';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { repliesRepository } from '../db/repositories/replies.ts';
import { conversations, replies } from '../db/schema/index.ts';
import { insertChannel, insertConversation } from '../http/conversations/fixtures.test-helper.ts';
import { encryptJson } from '../lib/crypto.ts';
import { outbox } from './outbox.ts';

let t: TestApp;
let sim: MastodonSim;
let agent: Awaited<ReturnType<TestApp['signIn']>>;

beforeAll(async () => {
  sim = await startMastodonSim();
  // Undo window 0: replies are due at once (the window itself is covered in the API tests).
  t = await createTestApp({ env: { EARSHOT_UNDO_WINDOW_SECONDS: '0' } });
  agent = await t.signIn('agent');
});
afterAll(async () => {
  await t.close();
  await sim.close();
});

async function setup(token = sim.accessToken) {
  const db = t.ctx.database.db;
  const channel = await insertChannel(db, {
    baseUrl: sim.url,
    credentialsEnc: encryptJson(t.ctx.config.encryptionKey, { accessToken: token }),
    accountHandle: 'earshot',
  });
  const customer = sim.injectStatus({ text: '@earshot my parcel never came', author: 'ann' });
  const fx = await insertConversation(db, {
    channelId: channel.id,
    externalId: customer.id,
    intent: 'question',
  });
  return { ...fx, channel, customer };
}

const send = (conversationId: string, text: string, key: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/conversations/${conversationId}/replies`,
    headers: { cookie: agent.cookie, 'x-csrf-token': agent['x-csrf-token'] },
    payload: { text, idempotencyKey: key, basedOnVersion: 1 },
  });

describe('outbox against the Mastodon simulator', () => {
  it('posts a due reply once, in reply to the customer, and moves the conversation', async () => {
    const { conversation, customer } = await setup();
    expect((await send(conversation.id, 'Sorry! Checking now.', 'outbox-0001')).statusCode).toBe(200);
    const box = outbox({ db: t.ctx.database.db, encryptionKey: t.ctx.config.encryptionKey });
    const [first, second] = await Promise.all([box.processDue(), box.processDue()]);
    expect(first.sent + second.sent).toBe(1);
    const posted = sim.state.posted.filter((s) => s.text.includes('Checking now'));
    expect(posted).toHaveLength(1);
    expect(posted[0]!.inReplyToId).toBe(customer.id);
    const [conv] = await t.ctx.database.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, conversation.id));
    expect(conv).toMatchObject({ publicState: 'answered_publicly', status: 'waiting_on_customer' });
    expect(conv!.firstRespondedAt).not.toBeNull();
  });

  it('keeps the conversation open after a holding reply when the agent says so', async () => {
    const { conversation } = await setup();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/conversations/${conversation.id}/replies`,
      headers: { cookie: agent.cookie, 'x-csrf-token': agent['x-csrf-token'] },
      payload: {
        text: 'We are looking into it and will get back to you today.',
        idempotencyKey: 'outbox-keep-open',
        basedOnVersion: 1,
        afterSending: 'keep_open',
      },
    });
    expect(res.statusCode).toBe(200);
    const box = outbox({ db: t.ctx.database.db, encryptionKey: t.ctx.config.encryptionKey });
    expect((await box.processDue()).sent).toBe(1);
    const [conv] = await t.ctx.database.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, conversation.id));
    expect(conv).toMatchObject({ publicState: 'answered_publicly', status: 'open' });
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/conversations/${conversation.id}/replies`,
      headers: { cookie: agent.cookie, 'x-csrf-token': agent['x-csrf-token'] },
      payload: { text: 'x', idempotencyKey: 'outbox-bad-after', basedOnVersion: 2, afterSending: 'later' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('retries a reply left in "sending" by a crash with the same key: the platform does not post twice', async () => {
    const { conversation } = await setup();
    await send(conversation.id, 'Crash-safe reply', 'outbox-0002');
    const db = t.ctx.database.db;
    const box = outbox({ db, encryptionKey: t.ctx.config.encryptionKey });
    await box.processDue();
    // Simulate a worker that posted, then died before recording it.
    await db
      .update(replies)
      .set({ status: 'sending', updatedAt: new Date(Date.now() - 10 * 60_000) })
      .where(eq(replies.conversationId, conversation.id));
    await box.processDue();
    expect(sim.state.posted.filter((s) => s.text === 'Crash-safe reply')).toHaveLength(1);
  });

  it('shows the platform error and keeps the draft when a send fails', async () => {
    const { conversation } = await setup('wrong-token');
    await send(conversation.id, 'This will fail', 'outbox-0003');
    const db = t.ctx.database.db;
    await outbox({ db, encryptionKey: t.ctx.config.encryptionKey }).processDue();
    const [row] = await db
      .select()
      .from(replies)
      .where(eq(replies.idempotencyKey, `${agent.userId}:outbox-0003`));
    expect(row!.status).toBe('failed');
    expect(row!.error).toBeTruthy();
    const draft = await repliesRepository(db).draft(conversation.id, agent.userId);
    expect(draft?.text).toBe('This will fail');
  });
});
