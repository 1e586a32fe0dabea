/**
 * The demo's forum traffic: members asking, complaining and answering in the own community forum.
 * Each entry is a topic followed by replies; `by` is an index into DEMO_MEMBERS.
 */
export const DEMO_MEMBERS = [
  { username: 'maria_k', displayName: 'Maria K.' },
  { username: 'jonas_b', displayName: 'Jonas B.' },
  { username: 'priya_s', displayName: 'Priya S.' },
  { username: 'tom_w', displayName: 'Tom W.' },
] as const;

export interface ForumScriptTopic {
  by: number;
  title: string;
  body: string;
  replies: { by: number; body: string }[];
}

export const FORUM_SCRIPT: ForumScriptTopic[] = [
  {
    by: 0,
    title: 'Charged twice for my order this month',
    body: 'I was billed twice for the same order on my card. Can someone refund the duplicate charge? Order placed on Monday.',
    replies: [
      { by: 1, body: 'Same thing happened to me last week, support refunded it after a few days.' },
      { by: 0, body: 'Still no refund and nobody answered my email. This is really frustrating.' },
    ],
  },
  {
    by: 2,
    title: 'App crashes when I open my account settings',
    body: 'Since the latest update the app closes as soon as I tap Settings. Reinstalling did not help. Phone is a Pixel 7.',
    replies: [{ by: 3, body: 'Crashes for me too on Android 14, works on the web though.' }],
  },
  {
    by: 1,
    title: 'How do I change the delivery address after ordering?',
    body: 'I moved last week and my order is still going to the old address. How can I change where it is delivered?',
    replies: [
      { by: 2, body: 'I think you can only change it before it ships, maybe contact support quickly.' },
    ],
  },
  {
    by: 3,
    title: 'Love the new dark mode, thanks team',
    body: 'Just wanted to say the new dark mode looks great and the app feels faster. Nice work!',
    replies: [{ by: 0, body: 'Agreed, much easier on the eyes at night.' }],
  },
  {
    by: 0,
    title: 'Cannot log in, password reset email never arrives',
    body: 'I requested a password reset three times and no email arrives, not even in spam. I am locked out of my account.',
    replies: [],
  },
  {
    by: 2,
    title: 'Is there a student discount on the yearly plan?',
    body: 'Thinking about switching to the yearly plan. Do you offer a discount for students?',
    replies: [{ by: 1, body: 'Would like to know too.' }],
  },
  {
    by: 1,
    title: 'Package marked delivered but nothing arrived',
    body: 'Tracking says my package was delivered yesterday but there is nothing at my door and the neighbours have nothing either. What now?',
    replies: [{ by: 3, body: 'Check with the building reception, mine was left there once.' }],
  },
  {
    by: 3,
    title: 'Feature request: export my order history as CSV',
    body: 'It would be great to download my full order history as a spreadsheet for my expense reports.',
    replies: [],
  },
];

/** The forum script flattened into the order posts are made: topics interleaved with replies. */
export type ForumStep =
  | { kind: 'topic'; topic: number; by: number; title: string; body: string }
  | { kind: 'reply'; topic: number; by: number; body: string };

export function forumSteps(script: readonly ForumScriptTopic[] = FORUM_SCRIPT): ForumStep[] {
  const steps: ForumStep[] = [];
  const pending: ForumStep[] = [];
  script.forEach((t, i) => {
    steps.push({ kind: 'topic', topic: i, by: t.by, title: t.title, body: t.body });
    // replies to the previous topic follow the next topic, so threads grow while new ones start
    const next = pending.shift();
    if (next) steps.push(next);
    for (const r of t.replies) pending.push({ kind: 'reply', topic: i, by: r.by, body: r.body });
  });
  return [...steps, ...pending];
}
