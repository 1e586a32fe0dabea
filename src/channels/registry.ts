/**
 * Channel kind → adapter. The ingest loop, the outbox and the admin screens look adapters up here.
 * Kinds without a platform adapter (forum, email, webform) are handled elsewhere and are absent.
 */
import type { ChannelKind } from '../domain/inbound-post.ts';
// --- Facebook, Reddit, Discourse: written by the other channels engineer (src/channels/<kind>/index.ts) ---
import { adapter as discourse } from './discourse/index.ts';
import { adapter as facebook } from './facebook/index.ts';
// --- X, Mastodon, RSS/Atom ---
import { adapter as mastodon } from './mastodon/index.ts';
import { adapter as reddit } from './reddit/index.ts';
import { adapter as rss } from './rss/index.ts';
import type { ChannelAdapter } from './types.ts';
import { adapter as x } from './x/index.ts';

export const adapters: Partial<Record<ChannelKind, ChannelAdapter>> = {
  x,
  mastodon,
  rss,
  // other engineer's adapters
  facebook,
  reddit,
  discourse,
};

export class UnknownChannelKindError extends Error {
  readonly code = 'unknown_channel_kind';
  constructor(readonly kind: string) {
    super(`no channel adapter for kind "${kind}"`);
    this.name = 'UnknownChannelKindError';
  }
}

export function adapterFor(kind: ChannelKind | string): ChannelAdapter {
  const adapter = adapters[kind as ChannelKind];
  if (!adapter) throw new UnknownChannelKindError(kind);
  return adapter;
}

export function channelKinds(): ChannelKind[] {
  return Object.keys(adapters) as ChannelKind[];
}
