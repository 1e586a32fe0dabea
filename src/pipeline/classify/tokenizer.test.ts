import { describe, expect, it } from 'vitest';
import { tokenize } from './tokenizer.ts';

describe('tokenize', () => {
  it('normalises URLs, handles, numbers and money, and lowercases', () => {
    const { tokens, cues } = tokenize('@AmericanAir Flight 1234 cost $450!! See https://t.co/abc DELAYED');
    expect(tokens).toEqual(['@user', 'flight', '<num>', 'cost', '<money>', '!', 'see', '<url>', 'delayed']);
    expect(cues.urls).toBe(1);
    expect(cues.mentions).toBe(1);
    expect(cues.exclamations).toBe(1);
    expect(cues.allCapsWords).toBe(1);
  });

  it('keeps emoticons and emoji as tokens', () => {
    const { tokens, cues } = tokenize('love it :) <3 but :( 😡');
    expect(tokens).toEqual(['love', 'it', ':)', '<3', 'but', ':(', '😡']);
    expect(cues.emoticonsPositive).toBe(2);
    expect(cues.emoticonsNegative).toBe(1);
  });

  it('marks negated words until clause punctuation', () => {
    const { tokens } = tokenize("I don't like this service. Good staff");
    expect(tokens).toEqual(['i', 'dont', 'like_neg', 'this_neg', 'service_neg', '.', 'good', 'staff']);
  });

  it('splits hashtags, squashes elongation and decodes HTML entities', () => {
    const { tokens, words, cues } = tokenize('Sooooo happy &amp; #blessed');
    expect(tokens).toEqual(['soo', 'happy', '#blessed', 'blessed']);
    expect(words).toEqual(['soo', 'happy', 'blessed']);
    expect(cues.elongated).toBe(1);
    expect(cues.hashtags).toBe(1);
  });

  it('decodes literal \\uXXXX escapes, so negation survives them', () => {
    const { tokens } = tokenize('I don\\u2019t like it\\u002c really');
    expect(tokens).toEqual(['i', 'dont', 'like_neg', 'it_neg', ',', 'really']);
  });
});
