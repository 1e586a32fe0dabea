import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { CHANNEL_KINDS } from '../types.ts';
import { countLength } from './length.ts';
import { resolutionNotice, takePrivateAcknowledgement } from './notice-templates.ts';

const ctx = { customerName: 'Ana López', customerHandle: 'ana@mastodon.social', agentFirstName: 'Sam' };

describe('take-private acknowledgement', () => {
  it('names the private channel of each platform and fits every channel', () => {
    for (const kind of CHANNEL_KINDS) {
      const text = takePrivateAcknowledgement(kind, ctx);
      expect(countLength(text, kind).valid).toBe(true);
    }
    expect(takePrivateAcknowledgement('x', ctx)).toContain('sent you a DM');
    expect(takePrivateAcknowledgement('reddit', ctx)).toContain('a private message');
    expect(takePrivateAcknowledgement('x', { ...ctx, privateVia: 'email' })).toContain('an email');
    expect(takePrivateAcknowledgement('x', ctx)).toMatch(/^Hi Ana, /);
    expect(takePrivateAcknowledgement('x', ctx)).toMatch(/ \^Sam$/);
  });

  it('mentions the customer on Mastodon so they are notified', () => {
    expect(takePrivateAcknowledgement('mastodon', ctx)).toMatch(/^@ana@mastodon\.social Hi Ana/);
    expect(takePrivateAcknowledgement('x', ctx)).not.toContain('@ana');
  });

  it('falls back to shorter variants under tight limits', () => {
    expect(takePrivateAcknowledgement('x', ctx, { limit: 52 })).toBe(
      'Sorry about this! Please check a DM from us. ^Sam',
    );
    expect(takePrivateAcknowledgement('x', {}, { limit: 30 })).toBe('Please check a DM from us.');
    expect(() => takePrivateAcknowledgement('x', {}, { limit: 10 })).toThrow(DomainError);
  });
});

describe('resolution notice', () => {
  it('fits every channel and signs with the agent', () => {
    for (const kind of CHANNEL_KINDS) expect(countLength(resolutionNotice(kind, ctx), kind).valid).toBe(true);
    expect(resolutionNotice('x', ctx)).toMatch(/resolved with Ana in private.*\^Sam$/);
    expect(resolutionNotice('x', {})).not.toContain('with ');
    expect(resolutionNotice('x', ctx, { limit: 80 })).toBe(
      'Update: this is now resolved. Thanks for your patience, Ana! ^Sam',
    );
    expect(resolutionNotice('x', ctx, { limit: 25 })).toBe('Resolved. Thank you!');
  });

  it('renders an admin-edited template and refuses one that does not fit', () => {
    const template =
      'Fixed for {{customer.first_name | you}}: see {{private.via}} from {{agent.first_name}}.';
    expect(resolutionNotice('x', ctx, { template })).toBe('Fixed for Ana: see a DM from Sam.');
    expect(resolutionNotice('mastodon', ctx, { template })).toBe(
      '@ana@mastodon.social Fixed for Ana: see a private mention from Sam.',
    );
    try {
      resolutionNotice('x', ctx, { template: 'x'.repeat(300) });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'notice_too_long', details: { length: 300, limit: 280 } });
    }
    expect(() => resolutionNotice('x', {}, { template: 'Hi {{agent.first_name}}' })).toThrow(
      'agent.first_name',
    );
  });
});
