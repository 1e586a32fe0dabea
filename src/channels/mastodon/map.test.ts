import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { specFile } from '../../../sim/shared/spec-validator.ts';
import type { ChannelConfig } from '../types.ts';
import {
  type MastodonNotificationPayload,
  type MastodonStatusPayload,
  mastodonIdTime,
  statusToPost,
} from './map.ts';

const config = {
  id: 'm',
  kind: 'mastodon',
  baseUrl: 'https://mastodon.social',
  credentials: {},
  rules: { keywords: [], handles: [], sources: [] },
} as ChannelConfig;
const examples = (
  JSON.parse(readFileSync(specFile('mastodon/mastodon-openapi.json'), 'utf8')) as {
    components: { examples: Record<string, { value: unknown }> };
  }
).components.examples;

describe('Mastodon payloads recorded in the spec examples', () => {
  it('maps the example mention notification', () => {
    const [n] = examples.Notification200Example!.value as MastodonNotificationPayload[];
    const post = statusToPost(config, n!.status!, 'mention');
    expect(post).toMatchObject({
      externalId: '103186126728896492',
      parentExternalId: '103186038209478945',
      author: { externalId: '971724', handle: 'zsc' },
      text: '@trwnh sup!',
      createdAt: '2019-11-23T07:49:01.940Z',
      isPrivate: false,
    });
  });

  it('maps partial search results (no account, no visibility) without crashing', () => {
    const { statuses } = examples.Search200Example!.value as { statuses: MastodonStatusPayload[] };
    const posts = statuses.map((s) => statusToPost(config, s, 'search'));
    expect(posts[0]).toMatchObject({ externalId: '103085519055545958', text: 'cats\ncats never change' });
    expect(posts.every((p) => p.author.handle === 'unknown')).toBe(true);
  });

  it('reads the time out of a snowflake id when created_at is missing; ids stay stable', () => {
    const t = Date.parse(mastodonIdTime('103186126728896492')!);
    expect(Math.abs(t - Date.parse('2019-11-23T07:49:01.940Z'))).toBeLessThan(1000);
    const s = { id: '103186126728896492', content: '<p>hi</p>', unknown_field: { nested: true } };
    expect(statusToPost(config, s, 'search')).toEqual(statusToPost(config, structuredClone(s), 'search'));
  });
});
