/** Test fixtures for the workspace: a conversation with its first inbound post, inserted directly. */
import type { Db } from '../../db/client.ts';
import { channels, contactIdentities, contacts, conversations, posts } from '../../db/schema/index.ts';

export interface FixtureOptions {
  queue?: string;
  intent?: string;
  isPrivate?: boolean;
  channelKind?: string;
  channelId?: string | null;
  subject?: string;
  text?: string;
  externalId?: string;
  authorExternalId?: string;
  authorHandle?: string;
  dueInMinutes?: number;
}

let n = 0;

export async function insertChannel(db: Db, values: Partial<typeof channels.$inferInsert> = {}) {
  const [ch] = await db
    .insert(channels)
    .values({ kind: 'mastodon', name: 'Mastodon', baseUrl: 'http://127.0.0.1:9', ...values })
    .returning();
  return ch!;
}

export async function insertConversation(db: Db, o: FixtureOptions = {}) {
  n++;
  const isPrivate = o.isPrivate ?? false;
  const intent = o.intent ?? 'complaint';
  const [contact] = await db
    .insert(contacts)
    .values({ displayName: `Customer ${n}` })
    .returning();
  const [identity] = await db
    .insert(contactIdentities)
    .values({
      contactId: contact!.id,
      channelKind: o.channelKind ?? 'mastodon',
      externalId: o.authorExternalId ?? `author-${n}-${Math.random()}`,
      handle: o.authorHandle ?? `customer${n}`,
    })
    .returning();
  const externalId = o.externalId ?? `ext-${n}-${Math.random().toString(36).slice(2)}`;
  const [conv] = await db
    .insert(conversations)
    .values({
      channelId: o.channelId ?? null,
      channelKind: o.channelKind ?? 'mastodon',
      contactId: contact!.id,
      threadExternalId: externalId,
      subject: o.subject ?? `Parcel never arrived ${n}`,
      queue: o.queue ?? 'support',
      intent,
      sentiment: 'negative',
      startedPublic: !isPrivate,
      startedAsPublicComplaint: !isPrivate && intent === 'complaint',
      firstResponseDueAt: new Date(Date.now() + (o.dueInMinutes ?? 60) * 60_000),
      messageCount: 1,
    })
    .returning();
  const [post] = await db
    .insert(posts)
    .values({
      conversationId: conv!.id,
      channelId: o.channelId ?? null,
      channelKind: o.channelKind ?? 'mastodon',
      externalId,
      threadExternalId: externalId,
      direction: 'inbound',
      isPrivate,
      authorIdentityId: identity!.id,
      authorHandle: identity!.handle,
      text: o.text ?? 'My parcel never arrived and nobody answers!',
      postedAt: new Date(),
    })
    .returning();
  return { conversation: conv!, post: post!, contact: contact!, identity: identity! };
}
