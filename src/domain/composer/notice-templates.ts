/**
 * Default texts for the take-private acknowledgement (posted publicly when a conversation
 * moves to a private channel) and the resolution notice (posted on the original public
 * thread). Per channel, the longest variant that fits the channel limit is chosen; an
 * admin-edited template (canned-reply variables) can replace the defaults.
 */
import { InvalidError } from '../errors.ts';
import type { ChannelKind } from '../types.ts';
import { type CannedContext, renderCanned } from './canned.ts';
import { countLength } from './length.ts';

export interface NoticeContext {
  customerName?: string | null;
  /** Platform handle without '@'; Mastodon replies mention it so the customer is notified. */
  customerHandle?: string | null;
  agentFirstName?: string | null;
  /** Where the private conversation continues; default: the platform's own private messages. */
  privateVia?: 'platform' | 'email';
}

export interface NoticeOptions {
  /** Admin-edited template; may use {{customer.first_name}}, {{agent.first_name}}, {{private.via}}. */
  template?: string;
  limit?: number | null;
}

const PRIVATE_NAME: Record<ChannelKind, string> = {
  x: 'a DM',
  facebook: 'a private message',
  reddit: 'a private message',
  mastodon: 'a private mention',
  discourse: 'a private message',
  forum: 'a private message',
  email: 'an email',
  webform: 'an email',
  rss: 'an email',
};

function parts(kind: ChannelKind, ctx: NoticeContext) {
  const first = ctx.customerName?.trim().split(/\s+/)[0] ?? '';
  const agent = ctx.agentFirstName?.trim() ?? '';
  return {
    first,
    agent,
    hiName: first ? `Hi ${first}, ` : 'Hi, ',
    commaName: first ? `, ${first}` : '',
    sign: agent ? ` ^${agent}` : '',
    via: ctx.privateVia === 'email' ? 'an email' : PRIVATE_NAME[kind],
    prefix: kind === 'mastodon' && ctx.customerHandle ? `@${ctx.customerHandle.replace(/^@/, '')} ` : '',
  };
}

function pick(
  kind: ChannelKind,
  prefix: string,
  variants: string[],
  limit: number | null | undefined,
): string {
  for (const v of variants) {
    const text = prefix + v;
    if (countLength(text, kind, limit === undefined ? {} : { limit }).valid) return text;
  }
  throw new InvalidError('notice_too_long', 'no notice text fits the channel limit');
}

function custom(
  kind: ChannelKind,
  ctx: NoticeContext,
  template: string,
  limit: number | null | undefined,
): string {
  const p = parts(kind, ctx);
  const context: CannedContext = {
    customer: {
      first_name: p.first || null,
      name: ctx.customerName ?? null,
      handle: ctx.customerHandle ?? null,
    },
    agent: { first_name: p.agent || null },
    private: { via: p.via },
  };
  const text = p.prefix + renderCanned(template, context);
  const len = countLength(text, kind, limit === undefined ? {} : { limit });
  if (!len.valid) {
    throw new InvalidError('notice_too_long', `the notice is ${len.length} long; the limit is ${len.limit}`, {
      length: len.length,
      limit: len.limit,
    });
  }
  return text;
}

export function takePrivateAcknowledgement(
  kind: ChannelKind,
  ctx: NoticeContext = {},
  options: NoticeOptions = {},
): string {
  if (options.template) return custom(kind, ctx, options.template, options.limit);
  const p = parts(kind, ctx);
  return pick(
    kind,
    p.prefix,
    [
      `${p.hiName}sorry to hear about this. We've sent you ${p.via} so we can look into the details privately and keep your information safe.${p.sign}`,
      `Sorry about this${p.commaName}! We've sent you ${p.via} so we can sort it out privately.${p.sign}`,
      `Sorry about this! Please check ${p.via} from us.${p.sign}`,
      `Please check ${p.via} from us.`,
    ],
    options.limit,
  );
}

export function resolutionNotice(
  kind: ChannelKind,
  ctx: NoticeContext = {},
  options: NoticeOptions = {},
): string {
  if (options.template) return custom(kind, ctx, options.template, options.limit);
  const p = parts(kind, ctx);
  return pick(
    kind,
    p.prefix,
    [
      `Update: this has now been resolved${p.first ? ` with ${p.first}` : ''} in private. Thank you for your patience, and let us know if there is anything else we can help with.${p.sign}`,
      `Update: this is now resolved. Thanks for your patience${p.commaName}!${p.sign}`,
      'Update: this is now resolved. Thank you!',
      'Resolved. Thank you!',
    ],
    options.limit,
  );
}
