import { describe, expect, it } from 'vitest';
import { type ConversationCandidate, decideThread, type ThreadingPost, threadingScope } from './threading.ts';

const post = (over: Partial<ThreadingPost> = {}): ThreadingPost => ({
  channelId: 'ch-x',
  threadExternalId: 'th-1',
  contactId: 'ct-1',
  createdAt: '2026-11-23T12:00:00Z',
  ...over,
});
const conv = (id: string, over: Partial<ConversationCandidate> = {}): ConversationCandidate => ({
  id,
  status: 'open',
  channelId: 'ch-x',
  contactId: 'ct-1',
  threadExternalIds: ['th-1'],
  lastActivityAt: '2026-11-23T11:00:00Z',
  resolvedAt: null,
  ...over,
});

describe('decideThread', () => {
  it('starts a new conversation when nothing matches', () => {
    expect(decideThread(post(), [])).toEqual({ action: 'new', reason: 'no_match' });
    expect(decideThread(post(), [conv('a', { channelId: 'other' })])).toEqual({
      action: 'new',
      reason: 'no_match',
    });
  });

  it('appends to the active conversation of the same platform thread, whoever writes and however old', () => {
    const old = conv('a', {
      contactId: 'someone-else',
      lastActivityAt: '2026-10-01T00:00:00Z',
      status: 'waiting_on_customer',
    });
    expect(decideThread(post(), [old])).toEqual({
      action: 'append',
      conversationId: 'a',
      matchedBy: 'thread',
    });
  });

  it('prefers the thread match over a contact match', () => {
    const byContact = conv('b', { threadExternalIds: ['th-9'], lastActivityAt: '2026-11-23T11:59:00Z' });
    expect(decideThread(post(), [byContact, conv('a')])).toMatchObject({
      conversationId: 'a',
      matchedBy: 'thread',
    });
  });

  it('joins the same contact on the same channel within the window (default 24 h), boundary inclusive', () => {
    const c = conv('b', { threadExternalIds: ['th-9'], lastActivityAt: '2026-11-22T12:00:00Z' });
    expect(decideThread(post(), [c])).toEqual({
      action: 'append',
      conversationId: 'b',
      matchedBy: 'contact',
    });
    expect(decideThread(post({ createdAt: '2026-11-23T12:00:01Z' }), [c])).toEqual({
      action: 'new',
      reason: 'outside_window',
    });
    expect(decideThread(post(), [c], { contactWindowMinutes: 60 })).toEqual({
      action: 'new',
      reason: 'outside_window',
    });
  });

  it('on topic-based channels a public post matches its own topic only, whoever wrote in it', () => {
    const other = conv('b', { threadExternalIds: ['th-9'], lastActivityAt: '2026-11-23T11:59:00Z' });
    const topic = post({ scope: 'topic' });
    expect(decideThread(topic, [other])).toEqual({ action: 'new', reason: 'no_match' });
    const resolved = conv('r', {
      threadExternalIds: ['th-9'],
      status: 'resolved',
      resolvedAt: '2026-11-23T11:00:00Z',
    });
    expect(decideThread(topic, [resolved])).toMatchObject({ action: 'new' });
    const peers = conv('a', { contactId: 'someone-else' });
    expect(decideThread(topic, [other, peers])).toEqual({
      action: 'append',
      conversationId: 'a',
      matchedBy: 'thread',
    });
  });

  it('on stream channels a thread joins only the same customer’s conversation', () => {
    const alice = conv('alice', { contactId: 'ct-alice' });
    const bob = post({ scope: 'stream', contactId: 'ct-bob' });
    expect(decideThread(bob, [alice])).toEqual({ action: 'new', reason: 'no_match' });
    const bobs = conv('bob-earlier', { contactId: 'ct-bob', threadExternalIds: ['th-7'] });
    expect(decideThread(bob, [alice, bobs])).toEqual({
      action: 'append',
      conversationId: 'bob-earlier',
      matchedBy: 'contact',
    });
    const resolvedAlice = conv('alice-r', {
      contactId: 'ct-alice',
      status: 'resolved',
      resolvedAt: '2026-11-23T11:30:00Z',
    });
    expect(decideThread(bob, [resolvedAlice])).toMatchObject({ action: 'new' });
    expect(decideThread(post({ scope: 'stream', contactId: 'ct-alice' }), [alice])).toMatchObject({
      action: 'append',
      conversationId: 'alice',
      matchedBy: 'thread',
    });
  });

  it('scopes: streams, topics, and private messages on any channel', () => {
    expect(threadingScope({ channelKind: 'forum', isPrivate: false })).toBe('topic');
    expect(threadingScope({ channelKind: 'reddit', isPrivate: false })).toBe('topic');
    expect(threadingScope({ channelKind: 'x', isPrivate: false })).toBe('stream');
    expect(threadingScope({ channelKind: 'facebook', isPrivate: false })).toBe('stream');
    expect(threadingScope({ channelKind: 'forum', isPrivate: true })).toBe('private');
    expect(threadingScope({ channelKind: 'x', isPrivate: true })).toBe('private');
    expect(threadingScope({ channelKind: 'email', isPrivate: true })).toBe('private');
  });

  it('a post earlier than the last activity (skew) still joins', () => {
    const c = conv('b', { threadExternalIds: ['th-9'], lastActivityAt: '2026-11-23T13:00:00Z' });
    expect(decideThread(post(), [c])).toMatchObject({ action: 'append', conversationId: 'b' });
  });

  it('picks the most recently active of several candidates', () => {
    const a = conv('a', { threadExternalIds: ['x'], lastActivityAt: '2026-11-23T09:00:00Z' });
    const b = conv('b', { threadExternalIds: ['y'], lastActivityAt: '2026-11-23T10:00:00Z' });
    expect(decideThread(post(), [a, b])).toMatchObject({ conversationId: 'b' });
  });

  it('reopens a resolved conversation within the reopen window (default 72 h), else new', () => {
    const resolved = conv('r', {
      status: 'resolved',
      resolvedAt: '2026-11-21T12:00:00Z',
      lastActivityAt: '2026-11-21T12:00:00Z',
    });
    expect(decideThread(post(), [resolved])).toEqual({
      action: 'reopen',
      conversationId: 'r',
      matchedBy: 'thread',
    });
    expect(decideThread(post({ createdAt: '2026-11-25T12:00:00Z' }), [resolved])).toEqual({
      action: 'new',
      reason: 'outside_window',
    });
    expect(decideThread(post(), [resolved], { reopenWindowMinutes: 60 })).toEqual({
      action: 'new',
      reason: 'outside_window',
    });
  });

  it('reopens by contact only within both windows', () => {
    const r = conv('r', {
      threadExternalIds: ['th-9'],
      status: 'resolved',
      resolvedAt: '2026-11-23T10:00:00Z',
      lastActivityAt: '2026-11-23T10:00:00Z',
    });
    expect(decideThread(post(), [r])).toEqual({
      action: 'reopen',
      conversationId: 'r',
      matchedBy: 'contact',
    });
    expect(decideThread(post(), [r], { contactWindowMinutes: 30 })).toMatchObject({ action: 'new' });
  });

  it('never reopens closed conversations', () => {
    const closed = conv('c', { status: 'closed', resolvedAt: '2026-11-23T11:00:00Z' });
    expect(decideThread(post(), [closed])).toEqual({ action: 'new', reason: 'closed' });
  });

  it('an active contact conversation wins over reopening a resolved thread', () => {
    const resolved = conv('r', { status: 'resolved', resolvedAt: '2026-11-23T11:00:00Z' });
    const active = conv('a', { threadExternalIds: ['th-2'] });
    expect(decideThread(post(), [resolved, active])).toMatchObject({ action: 'append', conversationId: 'a' });
  });
});
