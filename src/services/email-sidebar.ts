/**
 * The private email sidebar of a public conversation ("take it private" by email): the customer gets
 * an invitation whose Reply-To is a per-conversation address (support+<token>@domain) and whose
 * subject carries [ref:<token>]; whatever they send back lands in the same conversation.
 * Inviting the same address to the same conversation twice sends one invitation (idempotent).
 */

import { eq } from 'drizzle-orm';
import { assertHeaderSafe, isEmailAddress, newReplyToken, replyAddress } from '../channels/email/headers.ts';
import type { Db } from '../db/client.ts';
import { emailRepository, type ReplyTokenRow } from '../db/repositories/email.ts';
import { conversations } from '../db/schema/index.ts';
import { InvalidError, NotFoundError } from '../domain/errors.ts';
import { recordEvents } from './conversations.ts';
import { type DeliveryOutcome, deliverNow, queueEmail } from './email-outbox.ts';
import type { EmailSettings } from './email-settings.ts';

export interface SidebarInvitation {
  conversationId: string;
  customerEmail: string;
  agentName: string;
  /** Optional personal line from the agent, placed above the standard text. */
  message?: string;
  customerName?: string;
}

export interface SidebarResult {
  token: string;
  replyAddress: string;
  outboundId: string;
  messageId: string;
  status: DeliveryOutcome | 'already_sent' | 'queued';
}

export async function inviteToEmailSidebar(
  deps: { db: Db; settings: EmailSettings; sendNow?: boolean },
  input: SidebarInvitation,
): Promise<SidebarResult> {
  const email = input.customerEmail.trim().toLowerCase();
  if (!isEmailAddress(email))
    throw new InvalidError('email_address_invalid', 'That is not a valid email address.');
  try {
    assertHeaderSafe(input.agentName, 'agent name');
    if (input.customerName) assertHeaderSafe(input.customerName, 'customer name');
  } catch (err) {
    throw new InvalidError('email_header_injection', (err as Error).message);
  }
  const repo = emailRepository(deps.db);
  const [conv] = await deps.db
    .select({
      id: conversations.id,
      subject: conversations.subject,
      channelId: conversations.channelId,
      threadExternalId: conversations.threadExternalId,
    })
    .from(conversations)
    .where(eq(conversations.id, input.conversationId));
  if (!conv) throw new NotFoundError('conversation_not_found', 'No such conversation.');
  let token: ReplyTokenRow | undefined = await repo.tokenFor(conv.id, email);
  const created = !token;
  token ??= await repo.insertToken({
    token: newReplyToken(),
    conversationId: conv.id,
    channelId: conv.channelId,
    threadExternalId: conv.threadExternalId,
    customerEmail: email,
    purpose: 'sidebar',
  });
  const topic = conv.subject.replace(/[\r\n]+/g, ' ').slice(0, 80);
  const greeting = input.customerName ? `Hello ${input.customerName},` : 'Hello,';
  const text = [
    greeting,
    '',
    ...(input.message?.trim() ? [input.message.trim(), ''] : []),
    `${input.agentName} from our support team would like to continue your conversation${topic ? ` about "${topic}"` : ''} privately, so you can share details you would rather not post in public.`,
    '',
    'Just reply to this email. Your reply comes straight to the same person and conversation.',
    '',
    `— ${input.agentName}, ${deps.settings.fromName}`,
  ].join('\n');
  const { row, created: queued } = await queueEmail(deps, {
    idempotencyKey: `sidebar-invite:${conv.id}:${email}`,
    purpose: 'invitation',
    conversationId: conv.id,
    to: email,
    ...(input.customerName ? { toName: input.customerName } : {}),
    subject: `Let's continue privately${topic ? `: ${topic}` : ''} [ref:${token.token}]`,
    text,
    replyToken: token.token,
    threadKey: conv.threadExternalId ?? undefined,
  });
  if (created || queued) {
    await recordEvents(deps.db, [
      {
        type: 'email_sidebar_invited',
        conversationId: conv.id,
        at: new Date().toISOString(),
        actorId: 'system',
        customerEmail: email,
        outboundId: row.id,
        agentName: input.agentName,
      } as never,
    ]);
  }
  let status: SidebarResult['status'] = row.status === 'sent' ? 'already_sent' : 'queued';
  if (queued && deps.sendNow !== false) status = await deliverNow(deps, row.id);
  return {
    token: token.token,
    replyAddress: replyAddress(deps.settings.address, token.token),
    outboundId: row.id,
    messageId: row.messageId,
    status,
  };
}

/** The email sidebars of a conversation (for the workspace: where private replies go). */
export async function emailSidebarsOf(db: Db, conversationId: string): Promise<ReplyTokenRow[]> {
  return emailRepository(db).tokensForConversation(conversationId);
}
