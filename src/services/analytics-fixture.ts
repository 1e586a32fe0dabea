/**
 * A hand-checked fixture for analytics tests: eight conversations, forum topics and CSAT answers
 * in the week Mon 2026-03-02 .. Sun 2026-03-08 (UTC), evaluated at NOW. The expected values in
 * analytics.test.ts were worked out by hand from this file (see the comments per conversation).
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/client.ts';
import {
  communityPosts,
  communityTopics,
  conversationEvents,
  conversations,
  csatResponses,
  posts,
  settings,
  slaPolicies,
  users,
} from '../db/schema/index.ts';

export const NOW = new Date('2026-03-10T12:00:00Z');
export const WEEK = { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-09T00:00:00Z') };

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const IDS = {
  agentA: id(901),
  agentB: id(902),
  agentC: id(903),
  member1: id(911),
  member2: id(912),
  c: (n: number) => id(n),
};

type Ev = [at: string, type: string, data?: Record<string, unknown>, actor?: string];
type In = [at: string, sentiment: string, isPrivate?: boolean];

interface Conv {
  n: number;
  channel: string;
  queue: string;
  initialQueue?: string;
  team: string;
  assignee: string | null;
  intent: string;
  isPublic: boolean;
  status: string;
  publicState?: string;
  state?: Record<string, unknown>;
  inbound: In[];
  events: Ev[];
}

const reply = (at: string, actor: string, visibility = 'public', kind = 'reply'): Ev => [
  at,
  'reply_recorded',
  { visibility, kind },
  actor,
];
const status = (at: string, from: string, to: string): Ev => [at, 'status_changed', { from, to }];

// Day prefixes
const MON = '2026-03-02T';
const TUE = '2026-03-03T';
const WED = '2026-03-04T';
const THU = '2026-03-05T';
const FRI = '2026-03-06T';

export const CONVERSATIONS: Conv[] = [
  // C1 x complaint: reply 30 min, next reply 30 min, resolution notice, resolved after 2 h. Sentiment −1 → 0.
  {
    n: 1,
    channel: 'x',
    queue: 'support',
    team: 'care',
    assignee: IDS.agentA,
    intent: 'complaint',
    isPublic: true,
    status: 'resolved',
    publicState: 'resolution_notice_posted',
    inbound: [
      [`${MON}10:00:00Z`, 'negative'],
      [`${MON}11:00:00Z`, 'neutral'],
    ],
    events: [
      reply(`${MON}10:30:00Z`, IDS.agentA),
      reply(`${MON}11:30:00Z`, IDS.agentA),
      reply(`${MON}12:00:00Z`, IDS.agentA, 'public', 'resolution_notice'),
      status(`${MON}12:00:00Z`, 'open', 'resolved'),
    ],
  },
  // C2 facebook complaint at Mon 16:00, first reply Tue 09:30 (17.5 h wall, 1.5 h business: SLA missed,
  // digital silence), team hand-off in the same queue, resolved Tue 10:00 without resolution notice.
  {
    n: 2,
    channel: 'facebook',
    queue: 'support',
    team: 'care',
    assignee: IDS.agentB,
    intent: 'complaint',
    isPublic: true,
    status: 'resolved',
    publicState: 'answered_publicly',
    inbound: [[`${MON}16:00:00Z`, 'negative']],
    events: [
      [
        `${MON}16:05:00Z`,
        'handed_off',
        { fromQueue: 'support', toQueue: 'support', fromTeam: 'social', toTeam: 'care' },
      ],
      reply(`${TUE}09:30:00Z`, IDS.agentB),
      status(`${TUE}10:00:00Z`, 'open', 'resolved'),
    ],
  },
  // C3 x praise, opened in support, handed off to marketing (misrouted); reply 45 min; the customer
  // writes again (negative) at 13:30 and waits: next response and resolution breached at NOW.
  {
    n: 3,
    channel: 'x',
    queue: 'marketing',
    initialQueue: 'support',
    team: 'social',
    assignee: IDS.agentC,
    intent: 'praise',
    isPublic: true,
    status: 'open',
    publicState: 'answered_publicly',
    inbound: [
      [`${TUE}12:00:00Z`, 'positive'],
      [`${TUE}13:30:00Z`, 'negative'],
    ],
    events: [
      [
        `${TUE}12:10:00Z`,
        'handed_off',
        { fromQueue: 'support', toQueue: 'marketing', fromTeam: 'care', toTeam: 'social' },
      ],
      reply(`${TUE}12:45:00Z`, IDS.agentC),
      status(`${TUE}12:45:00Z`, 'open', 'waiting_on_customer'),
      status(`${TUE}13:30:00Z`, 'waiting_on_customer', 'open'),
    ],
  },
  // C4 reddit complaint, never answered, unassigned: still silent, SLA first response and resolution missed.
  {
    n: 4,
    channel: 'reddit',
    queue: 'support',
    team: 'care',
    assignee: null,
    intent: 'complaint',
    isPublic: true,
    status: 'new',
    inbound: [
      [`${WED}09:00:00Z`, 'negative'],
      [`${WED}10:00:00Z`, 'negative'],
    ],
    events: [],
  },
  // C5 email question before opening hours (08:00): private reply 09:30 (90 min wall, 30 min business),
  // second message 10:00 answered 14:00 (next response missed), resolved 14:30. Sentiment 0 → +1.
  {
    n: 5,
    channel: 'email',
    queue: 'support',
    team: 'social',
    assignee: IDS.agentC,
    intent: 'question',
    isPublic: false,
    status: 'resolved',
    inbound: [
      [`${THU}08:00:00Z`, 'neutral'],
      [`${THU}10:00:00Z`, 'positive'],
    ],
    events: [
      reply(`${THU}09:30:00Z`, IDS.agentC, 'private'),
      reply(`${THU}14:00:00Z`, IDS.agentC, 'private'),
      status(`${THU}14:30:00Z`, 'open', 'resolved'),
    ],
  },
  // C6 x spam: marked no response needed and closed after 5 minutes.
  {
    n: 6,
    channel: 'x',
    queue: 'support',
    team: 'care',
    assignee: IDS.agentA,
    intent: 'spam',
    isPublic: true,
    status: 'closed',
    state: { noResponseNeeded: { reason: 'spam' } },
    inbound: [[`${FRI}10:00:00Z`, 'neutral']],
    events: [
      [`${FRI}10:05:00Z`, 'no_response_needed', { reason: 'spam', text: null }],
      status(`${FRI}10:05:00Z`, 'new', 'closed'),
    ],
  },
  // C7 before the week: must not count (but is active and unassigned: it counts in "open now").
  {
    n: 7,
    channel: 'x',
    queue: 'support',
    team: 'care',
    assignee: null,
    intent: 'complaint',
    isPublic: true,
    status: 'new',
    inbound: [['2026-02-27T09:00:00Z', 'negative']],
    events: [],
  },
  // C8 facebook complaint taken private: private reply after 20 min, customer thanks privately (+1),
  // resolution notice waived, resolved after 1 h. No public reply at all: still silent in public.
  {
    n: 8,
    channel: 'facebook',
    queue: 'support',
    team: 'care',
    assignee: IDS.agentB,
    intent: 'complaint',
    isPublic: true,
    status: 'resolved',
    publicState: 'handled_privately',
    inbound: [
      [`${FRI}14:00:00Z`, 'negative'],
      [`${FRI}14:40:00Z`, 'positive', true],
    ],
    events: [
      [`${FRI}14:10:00Z`, 'taken_private', { privateChannel: 'facebook_dm' }],
      reply(`${FRI}14:20:00Z`, IDS.agentB, 'private'),
      [`${FRI}15:00:00Z`, 'resolution_notice_waived', { reason: 'customer_asked_none', text: null }],
      status(`${FRI}15:00:00Z`, 'open', 'resolved'),
    ],
  },
];

export const SLA_POLICY = {
  name: 'Weekdays 9–17',
  targets: { firstResponseMinutes: 60, nextResponseMinutes: 120, resolutionMinutes: 1440 },
  calendar: {
    timeZone: 'UTC',
    weekly: Object.fromEntries(
      ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
    ),
  },
};

export async function insertAnalyticsFixture(db: Db): Promise<void> {
  const user = (uid: string, name: string, role: 'agent' | 'member', team: string | null) => ({
    id: uid,
    email: `${name}@fixture.test`,
    displayName: name,
    role,
    passwordHash: 'x',
    team,
  });
  await db
    .insert(users)
    .values([
      user(IDS.agentA, 'Agent A', 'agent', 'care'),
      user(IDS.agentB, 'Agent B', 'agent', 'care'),
      user(IDS.agentC, 'Agent C', 'agent', 'social'),
      user(IDS.member1, 'Member One', 'member', null),
      user(IDS.member2, 'Member Two', 'member', null),
    ]);
  await db.insert(slaPolicies).values({ name: SLA_POLICY.name, position: 0, policy: SLA_POLICY });
  await db.insert(settings).values({
    key: 'analytics',
    value: {
      socialMonthlyCost: 3000,
      phoneCostPerResolution: 200,
      agentHourlyCost: 40,
      otherContactsPerMonth: 30,
    },
  });
  for (const c of CONVERSATIONS) {
    const convId = IDS.c(c.n);
    const opened = new Date(c.inbound[0]![0]);
    const resolvedEv = c.events
      .filter((e) => e[1] === 'status_changed' && ['resolved', 'closed'].includes(String(e[2]?.to)))
      .at(-1);
    await db.insert(conversations).values({
      id: convId,
      channelKind: c.channel,
      subject: `Fixture conversation ${c.n}`,
      status: c.status,
      publicState: c.publicState ?? 'unanswered',
      queue: c.queue,
      team: c.team,
      assigneeId: c.assignee,
      intent: c.intent,
      sentiment: c.inbound.at(-1)![1],
      priority: 'normal',
      startedPublic: c.isPublic,
      startedAsPublicComplaint: c.isPublic && c.intent === 'complaint',
      state: c.state ?? {},
      resolvedAt: resolvedEv ? new Date(resolvedEv[0]) : null,
      createdAt: opened,
      updatedAt: NOW,
    });
    await db.insert(posts).values(
      c.inbound.map(([at, sentiment, isPrivate], i) => ({
        conversationId: convId,
        channelKind: c.channel,
        externalId: `fx-${c.n}-${i}`,
        direction: 'inbound' as const,
        isPrivate: isPrivate ?? !c.isPublic,
        text: 'fixture',
        sentiment,
        postedAt: new Date(at),
        receivedAt: new Date(at),
      })),
    );
    const evs: Ev[] = [
      [
        opened.toISOString(),
        'conversation_opened',
        {
          queue: c.initialQueue ?? c.queue,
          team: c.team,
          startedAsPublicComplaint: c.isPublic && c.intent === 'complaint',
        },
        'system',
      ],
      ...c.events,
    ];
    await db.insert(conversationEvents).values(
      evs.map(([at, type, data, actor]) => ({
        conversationId: convId,
        type,
        at: new Date(at),
        actorId: actor ?? IDS.agentA,
        data: data ?? {},
      })),
    );
  }
  // Forum: T1 answered by a member, T2 by staff, T3 only by its author, T4 private (excluded), T5 before the week.
  const topic = async (
    title: string,
    author: string,
    createdAt: string,
    visibility: 'public' | 'private' = 'public',
  ) => {
    const [t] = await db
      .insert(communityTopics)
      .values({
        title,
        slug: title.toLowerCase().replace(/\W+/g, '-'),
        authorId: author,
        visibility,
        createdAt: new Date(createdAt),
      })
      .returning({ id: communityTopics.id });
    return t!.id;
  };
  const post = (topicId: number, n: number, author: string, kind: 'post' | 'staff_reply' = 'post') => ({
    topicId,
    postNumber: n,
    authorId: author,
    kind,
    body: 'b',
    bodyHtml: '<p>b</p>',
  });
  const t1 = await topic('Member answered', IDS.member1, `${MON}09:00:00Z`);
  const t2 = await topic('Staff answered', IDS.member1, `${TUE}09:00:00Z`);
  const t3 = await topic('Nobody answered', IDS.member2, `${WED}09:00:00Z`);
  const t4 = await topic('Private message', IDS.member2, `${WED}10:00:00Z`, 'private');
  const t5 = await topic('Last week', IDS.member2, '2026-02-25T10:00:00Z');
  await db
    .insert(communityPosts)
    .values([
      post(t1, 1, IDS.member1),
      post(t1, 2, IDS.member2),
      post(t2, 1, IDS.member1),
      post(t2, 2, IDS.member2),
      post(t2, 3, IDS.agentA, 'staff_reply'),
      post(t3, 1, IDS.member2),
      post(t3, 2, IDS.member2),
      post(t4, 1, IDS.member2),
      post(t4, 2, IDS.member1),
      post(t5, 1, IDS.member2),
      post(t5, 2, IDS.member1),
    ]);
  // CSAT: C1 → 5, C2 → 2, C5 → 4, C8 sent but not answered.
  const survey = (n: number, score: number | null) => ({
    conversationId: IDS.c(n),
    tokenHash: createHash('sha256').update(`fixture-${n}`).digest('hex'),
    score,
    sentAt: new Date(`${FRI}16:00:00Z`),
    respondedAt: score === null ? null : new Date(`${FRI}18:00:00Z`),
    expiresAt: new Date('2026-03-20T00:00:00Z'),
  });
  await db.insert(csatResponses).values([survey(1, 5), survey(2, 2), survey(5, 4), survey(8, null)]);
}
