/**
 * The email channel adapter (kind 'email'). Sending goes through the email outbox
 * (src/services/email-outbox.ts): the outbox's idempotency key becomes a stable Message-ID, a key
 * already sent is never sent again, and the reply carries In-Reply-To / References of the customer's
 * message, its subject ("Re: ...") and the conversation's reply address when it has one.
 * Inbound email does not use fetchInbound: the email jobs (IMAP IDLE/poll, SMTP listener) parse,
 * store and thread mail before the triage intake (src/services/email.ts).
 */
import type { Db } from '../../db/client.ts';
import { emailRepository } from '../../db/repositories/email.ts';
import { deliverNow, queueEmail } from '../../services/email-outbox.ts';
import type { EmailSettings } from '../../services/email-settings.ts';
import { type ChannelAdapter, type ChannelCapabilities, ChannelError } from '../types.ts';
import { replySubject } from './headers.ts';

export const capabilities: ChannelCapabilities = {
  maxLength: 100_000,
  lengthCounting: 'chars',
  threading: true,
  privateMessages: true,
  canEdit: false,
  canDelete: false,
  replyOnSite: false,
  webhooks: false,
  polling: false,
};

export interface EmailAdapterDeps {
  db: Db;
  settings: () => Promise<EmailSettings>;
}

export function createEmailAdapter(deps: EmailAdapterDeps): ChannelAdapter {
  return {
    kind: 'email',
    capabilities,
    async send(_config, message) {
      const settings = await deps.settings();
      const repo = emailRepository(deps.db);
      const [parent] = message.inReplyToExternalId
        ? await repo.findByMessageIds([message.inReplyToExternalId])
        : [];
      const to =
        message.recipientExternalId ?? (parent?.direction === 'inbound' ? parent.fromAddress : undefined);
      if (!to) throw new ChannelError('no_recipient', 'An email reply needs the customer address.', 400);
      const token =
        parent?.replyToken ??
        (parent?.conversationId ? (await repo.tokenFor(parent.conversationId, to))?.token : undefined);
      const references = parent
        ? [...parent.references.filter((r) => r !== parent.messageId), parent.messageId]
        : [];
      let queued: Awaited<ReturnType<typeof queueEmail>>;
      try {
        queued = await queueEmail(
          { db: deps.db, settings },
          {
            idempotencyKey: message.idempotencyKey,
            purpose: 'reply',
            conversationId: parent?.conversationId ?? null,
            to,
            subject: replySubject(parent?.subject ?? ''),
            text: message.text,
            ...(parent ? { inReplyTo: parent.messageId, threadKey: parent.threadKey } : {}),
            references,
            ...(token ? { replyToken: token } : {}),
          },
        );
      } catch (err) {
        throw new ChannelError(
          (err as { code?: string }).code ?? 'invalid_email',
          (err as Error).message,
          400,
        );
      }
      const { row } = queued;
      if (row.status === 'sent') return { externalId: row.messageId };
      if (row.status === 'failed')
        throw new ChannelError('smtp_rejected', row.lastError ?? 'rejected by the mail server', 502);
      const outcome = await deliverNow({ db: deps.db, settings }, row.id);
      if (outcome === 'sent') return { externalId: row.messageId };
      const after = await repo.outbound(row.id);
      if (after?.status === 'sent') return { externalId: row.messageId };
      if (outcome === 'failed')
        throw new ChannelError('smtp_rejected', after?.lastError ?? 'rejected by the mail server', 502);
      throw new ChannelError(
        'smtp_unavailable',
        after?.lastError ?? 'the mail server did not accept the message yet',
        503,
      );
    },
  };
}
