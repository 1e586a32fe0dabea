import { describe, expect, it } from 'vitest';
import { checkRisk, ibanValid, luhnValid, suggestsTakingPrivate } from './risk-check.ts';

const kinds = (text: string, opts = {}) => checkRisk(text, opts).map((f) => `${f.kind}:${f.match}`);

describe('personal data', () => {
  it('finds email addresses and suggests taking it private', () => {
    const f = checkRisk('Please email jane.doe+help@example.co.uk with details');
    expect(f).toEqual([
      expect.objectContaining({
        kind: 'email',
        match: 'jane.doe+help@example.co.uk',
        start: 13,
        suggestion: 'take_private',
      }),
    ]);
    expect(suggestsTakingPrivate(f)).toBe(true);
    expect(kinds('see @support or #help')).toEqual([]);
  });

  it('finds phone numbers in international, US and UK formats', () => {
    expect(kinds('Call +44 20 7946 0958 now')).toEqual(['phone:+44 20 7946 0958']);
    expect(kinds('call (555) 123-4567 today')).toEqual(['phone:(555) 123-4567']);
    expect(kinds('or 555.123.4567')).toEqual(['phone:555.123.4567']);
    expect(kinds('ring 07700 900123')).toEqual(['phone:07700 900123']);
    expect(kinds('ring 020 7946 0958')).toEqual(['phone:020 7946 0958']);
    expect(kinds('ring +1-202-555-0143')).toEqual(['phone:+1-202-555-0143']);
  });

  it('does not mistake dates, prices, years and short numbers for phones', () => {
    expect(kinds('on 2026-11-23 we refunded $1,299.00 for 3 items in 2024 at 10:30')).toEqual([]);
    expect(kinds('flight 1234 gate 12')).toEqual([]);
  });

  it('finds order numbers with the default and a configured pattern', () => {
    expect(kinds('your order #12345 shipped')).toEqual(['order_number:order #12345']);
    expect(kinds('Order number: AB-99812 is late')).toEqual(['order_number:Order number: AB-99812']);
    expect(kinds('in order to help')).toEqual([]);
    expect(kinds('ticket TCK-000123 opened', { orderNumberPattern: String.raw`\bTCK-\d{6}\b` })).toEqual([
      'order_number:TCK-000123',
    ]);
  });

  it('finds card numbers only when Luhn-valid', () => {
    expect(kinds('card 4111 1111 1111 1111 declined')).toEqual(['card_number:4111 1111 1111 1111']);
    expect(kinds('card 4111-1111-1111-1111')).toEqual(['card_number:4111-1111-1111-1111']);
    expect(kinds('ref 4111 1111 1111 1112')).toEqual([]);
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('')).toBe(false);
  });

  it('finds IBANs only when the checksum holds', () => {
    expect(kinds('pay to GB82 WEST 1234 5698 7654 32 please')).toEqual(['iban:GB82 WEST 1234 5698 7654 32']);
    expect(kinds('DE89370400440532013000')).toEqual(['iban:DE89370400440532013000']);
    expect(ibanValid('GB82WEST12345698765433')).toBe(false);
    expect(kinds('GB82WEST12345698765433')).toEqual([]);
  });
});

describe('guidelines', () => {
  const guidelines = [
    {
      id: 'g1',
      phrase: 'calm down',
      message: 'Never tell a customer to calm down.',
      severity: 'block' as const,
    },
    { id: 'g2', phrase: 'unfortunately', message: 'Say what you can do instead.' },
    { id: 'g3', phrase: '  ', message: 'empty phrase is ignored' },
  ];
  it('matches whole phrases case-insensitively and carries the message', () => {
    const f = checkRisk('Please CALM   down. Unfortunately we cannot.', { guidelines });
    expect(f.map((x) => [x.guidelineId, x.match, x.severity, x.suggestion])).toEqual([
      ['g1', 'CALM   down', 'block', 'rephrase'],
      ['g2', 'Unfortunately', 'warn', 'rephrase'],
    ]);
    expect(f[0]?.message).toBe('Never tell a customer to calm down.');
    expect(checkRisk('calm downstairs', { guidelines })).toEqual([]);
  });
});

describe('shouting', () => {
  it('flags a reply in capitals but not acronyms or handles', () => {
    expect(kinds('WE ARE LOOKING INTO THIS RIGHT NOW')).toEqual([
      'shouting:WE ARE LOOKING INTO THIS RIGHT NOW',
    ]);
    expect(kinds('Our ATM and SMS PIN service is back, @BIGBANK')).toEqual([]);
    expect(checkRisk('Thanks, but this is NOT OK AT ALL and we will fix it')[0]).toMatchObject({
      kind: 'shouting',
      match: 'NOT OK AT ALL',
      suggestion: 'lower_case',
    });
    expect(kinds('OK!')).toEqual([]);
  });
});

describe('clean text', () => {
  it('gives no findings', () => {
    expect(checkRisk("Sorry about the delay, we've sent you a DM so we can look at your account.")).toEqual(
      [],
    );
  });
});
