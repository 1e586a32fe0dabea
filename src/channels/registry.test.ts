import { describe, expect, it } from 'vitest';
import { adapterFor, channelKinds, UnknownChannelKindError } from './registry.ts';

describe('channel registry', () => {
  it('maps every platform kind to an adapter of that kind', () => {
    expect(channelKinds().sort()).toEqual(['discourse', 'facebook', 'mastodon', 'reddit', 'rss', 'x']);
    for (const kind of channelKinds()) expect(adapterFor(kind).kind).toBe(kind);
    expect(adapterFor('x').capabilities).toMatchObject({ maxLength: 280, lengthCounting: 'x-weighted' });
    expect(adapterFor('rss').capabilities.replyOnSite).toBe(true);
  });
  it('refuses unknown kinds with a coded error', () => {
    expect(() => adapterFor('myspace')).toThrow(UnknownChannelKindError);
  });
});
