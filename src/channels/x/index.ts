/** X (API v2) channel adapter: polling search/mentions/DMs, filtered stream, replies, DMs, deletes. */
import {
  type ChannelAdapter,
  type ChannelConfig,
  ChannelError,
  type OutboundMessage,
  type SendResult,
} from '../types.ts';
import { xDelete, xPost } from './client.ts';
import { fetchXInbound } from './fetch.ts';

export { streamTweets, syncStreamRules } from './stream.ts';

async function send(config: ChannelConfig, message: OutboundMessage): Promise<SendResult> {
  if (message.isPrivate) {
    const to = message.recipientExternalId;
    if (!to) throw new ChannelError('missing_recipient', 'a private X message needs recipientExternalId');
    const res = await xPost<{ data?: { dm_event_id: string; dm_conversation_id: string } }>(
      config,
      `dm_conversations/with/${encodeURIComponent(to)}/messages`,
      { text: message.text },
    );
    const id = res.data.data?.dm_event_id;
    if (!id) throw new ChannelError('platform_error', 'X did not return the DM event id');
    return { externalId: id, ...(res.rateLimit ? { rateLimit: res.rateLimit } : {}) };
  }
  const body: Record<string, unknown> = { text: message.text };
  if (message.inReplyToExternalId) body.reply = { in_reply_to_tweet_id: message.inReplyToExternalId };
  const res = await xPost<{ data?: { id: string } }>(config, 'tweets', body);
  const id = res.data.data?.id;
  if (!id) throw new ChannelError('platform_error', 'X did not return the new post id');
  const handle = config.accountHandle?.replace(/^@/, '') ?? 'i/web';
  return {
    externalId: id,
    url: `https://x.com/${handle}/status/${id}`,
    ...(res.rateLimit ? { rateLimit: res.rateLimit } : {}),
  };
}

async function retract(config: ChannelConfig, externalId: string): Promise<void> {
  const res = await xDelete<{ data?: { deleted?: boolean }; errors?: { type?: string }[] }>(
    config,
    `tweets/${encodeURIComponent(externalId)}`,
  );
  if (res.data.data?.deleted) return;
  if (res.data.errors?.some((e) => String(e.type).endsWith('/resource-not-found'))) return; // already gone
  throw new ChannelError('platform_error', `X did not delete post ${externalId}`);
}

export const adapter: ChannelAdapter = {
  kind: 'x',
  capabilities: {
    maxLength: 280,
    lengthCounting: 'x-weighted',
    threading: true,
    privateMessages: true,
    canEdit: false,
    canDelete: true,
    replyOnSite: false,
    webhooks: false,
    polling: true,
  },
  fetchInbound: fetchXInbound,
  send,
  retract,
};
