/**
 * In-memory Reddit: submissions, comments and private messages, with base36 ids growing over
 * time like Reddit's, plus the control operations tests use (inject, delete as the author would).
 */
import type { SimComment, SimMessage, SimSubmission } from './things.ts';

export interface PostedThing {
  kind: 'comment' | 'message';
  fullname: string;
  text: string;
  parent?: string;
  to?: string;
  subject?: string;
}

export class RedditStore {
  readonly submissions: SimSubmission[] = [];
  readonly comments: SimComment[] = [];
  readonly messages: SimMessage[] = [];
  readonly submissionById = new Map<string, SimSubmission>();
  readonly commentById = new Map<string, SimComment>();
  /** What the adapter posted through the API (replies, private messages), in order. */
  readonly posted: PostedThing[] = [];
  /** Fullnames deleted through POST /api/del. */
  readonly deletedViaApi: string[] = [];
  private seq = 36 ** 5;
  private lastUtc = 0;

  nextId(): string {
    this.seq += 1;
    return this.seq.toString(36);
  }

  /** Strictly non-decreasing creation times (seconds, as Reddit reports them). */
  now(at?: number): number {
    const t = at ?? Math.floor(Date.now() / 1000);
    this.lastUtc = Math.max(this.lastUtc, t);
    return at ?? this.lastUtc;
  }

  addSubmission(input: {
    subreddit: string;
    author: string;
    title: string;
    selftext?: string;
    createdUtc?: number;
  }): SimSubmission {
    const s: SimSubmission = {
      id: this.nextId(),
      subreddit: input.subreddit,
      author: input.author,
      title: input.title,
      selftext: input.selftext ?? '',
      createdUtc: this.now(input.createdUtc),
      numComments: 0,
      deleted: false,
    };
    this.submissions.push(s);
    this.submissionById.set(s.id, s);
    return s;
  }

  /** parent: fullname of a submission (t3_) or comment (t1_). */
  addComment(input: { parent: string; author: string; body: string; createdUtc?: number }): SimComment {
    const [kind, id = ''] = input.parent.split('_');
    const parentComment = kind === 't1' ? this.commentById.get(id) : undefined;
    const link = kind === 't3' ? this.submissionById.get(id) : undefined;
    const linkId = parentComment?.linkId ?? (link ? `t3_${link.id}` : undefined);
    if (!linkId) throw new Error(`no such parent ${input.parent}`);
    const submission = this.submissionById.get(linkId.slice(3));
    const c: SimComment = {
      id: this.nextId(),
      subreddit: submission?.subreddit ?? parentComment?.subreddit ?? 'unknown',
      author: input.author,
      body: input.body,
      linkId,
      parentId: input.parent,
      createdUtc: this.now(input.createdUtc),
      deleted: false,
    };
    if (submission) submission.numComments += 1;
    this.comments.push(c);
    this.commentById.set(c.id, c);
    return c;
  }

  addMessage(input: {
    from: string;
    to: string;
    subject: string;
    body: string;
    createdUtc?: number;
  }): SimMessage {
    const m: SimMessage = {
      id: this.nextId(),
      author: input.from,
      dest: input.to,
      subject: input.subject,
      body: input.body,
      createdUtc: this.now(input.createdUtc),
      firstMessageName: null,
    };
    this.messages.push(m);
    return m;
  }

  /** Delete a submission or comment by fullname; returns false when unknown. */
  delete(fullname: string): boolean {
    const [kind, id = ''] = fullname.split('_');
    const thing =
      kind === 't1' ? this.commentById.get(id) : kind === 't3' ? this.submissionById.get(id) : undefined;
    if (!thing) return false;
    thing.deleted = true;
    return true;
  }

  newestFirst<T>(items: T[], keep: (item: T) => boolean): T[] {
    const out: T[] = [];
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i] as T;
      if (keep(item)) out.push(item);
    }
    return out;
  }
}

/** Reddit search syntax, as much as the adapter uses: terms or "quoted phrases" joined by OR. */
export function matchesQuery(q: string, text: string): boolean {
  const hay = text.toLowerCase();
  const alternatives = q
    .split(/\s+OR\s+/)
    .map((t) =>
      t
        .trim()
        .replace(/^\(|\)$/g, '')
        .replace(/^"|"$/g, '')
        .toLowerCase(),
    )
    .filter(Boolean);
  return alternatives.some((term) => hay.includes(term));
}
