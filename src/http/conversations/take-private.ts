/**
 * Take it private, as one action: a private message (DM / private message on the same platform, or
 * email), a short public acknowledgement on the original thread, both in the same conversation under
 * one SLA clock, and the conversation's public state moves to "handled privately".
 */
import { eq } from 'drizzle-orm';
import { contactIdentities, posts } from '../../db/schema/index.ts';
import { takePrivateAcknowledgement } from '../../domain/composer/notice-templates.ts';
import { ConflictError } from '../../domain/errors.ts';
import type { ChannelKind } from '../../domain/inbound-post.ts';
import type { Actor } from '../../domain/roles.ts';
import { applyCommand, loadVisible } from '../../services/conversations.ts';
import type { AppContext } from '../context.ts';
import { repliesFor } from '../replies/service.ts';

export async function takePrivate(
  ctx: AppContext,
  actor: Actor & { name: string },
  conversationId: string,
  body: { via: 'platform' | 'email'; message: string; acknowledgement?: string; idempotencyKey: string },
) {
  const db = ctx.database.db;
  const conv = await loadVisible(db, conversationId, actor);
  if (!conv.startedPublic)
    throw new ConflictError('already_private', 'This conversation is already private.');
  const kind = conv.channelKind as ChannelKind;
  const [first] = await db
    .select({ handle: posts.authorHandle, identity: posts.authorIdentityId })
    .from(posts)
    .where(eq(posts.conversationId, conv.id))
    .orderBy(posts.postedAt)
    .limit(1);
  let handle = first?.handle ?? null;
  if (first?.identity) {
    const [who] = await db.select().from(contactIdentities).where(eq(contactIdentities.id, first.identity));
    handle = who?.handle ?? handle;
  }
  const ack =
    body.acknowledgement?.trim() ||
    takePrivateAcknowledgement(kind, {
      customerHandle: handle,
      agentFirstName: actor.name.split(/\s+/)[0] ?? null,
      privateVia: body.via === 'email' ? 'email' : 'platform',
    });
  const service = repliesFor(ctx);
  const common = { conversationId, basedOnVersion: conv.version, acknowledgeStale: true };
  const dm = await service.send(actor, {
    ...common,
    text: body.message,
    kind: 'private_message',
    idempotencyKey: `${body.idempotencyKey}:private`,
    viaEmail: body.via === 'email',
  });
  const pub = await service.send(actor, {
    ...common,
    text: ack,
    kind: 'acknowledgement',
    idempotencyKey: `${body.idempotencyKey}:ack`,
    acknowledgeRisk: true,
  });
  if (dm.created) {
    await applyCommand(
      db,
      conversationId,
      { type: 'take_private', privateChannel: body.via === 'email' ? 'email' : kind },
      actor,
    );
  }
  return {
    privateReplyId: dm.replies[0]?.id,
    acknowledgementReplyId: pub.replies[0]?.id,
    acknowledgement: ack,
  };
}
