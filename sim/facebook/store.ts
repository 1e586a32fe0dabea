/**
 * In-memory Facebook Page: page posts, comments (with replies), Messenger conversations, and the
 * Graph node serialisers. Field names and types follow graph-api-specs (PagePost.json,
 * Comment.json): datetimes as `2024-05-01T10:00:00+0000`, counts as unsigned ints.
 */

export interface FbUser {
  id: string;
  name: string;
}

export interface FbPost {
  id: string;
  from: FbUser;
  message: string;
  createdAt: number;
  updatedAt: number;
  hidden: boolean;
}

export interface FbComment {
  id: string;
  postId: string;
  parentId: string | null;
  from: FbUser;
  message: string;
  createdAt: number;
  deleted: boolean;
  hidden: boolean;
  privateReplied: boolean;
}

export interface FbMessage {
  mid: string;
  psid: string;
  fromPage: boolean;
  text: string;
  at: number;
}

/** Graph datetime format. */
export function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

export const COMMENT_FIELDS = [
  'id',
  'message',
  'created_time',
  'from',
  'parent',
  'permalink_url',
  'comment_count',
  'like_count',
  'can_reply_privately',
  'can_remove',
  'is_hidden',
  'is_private',
] as const;
export const COMMENT_DEFAULT_FIELDS = ['created_time', 'from', 'message', 'id'];
export const POST_FIELDS = [
  'id',
  'message',
  'created_time',
  'updated_time',
  'from',
  'permalink_url',
  'is_hidden',
  'is_published',
  'status_type',
] as const;
export const POST_DEFAULT_FIELDS = ['created_time', 'message', 'id'];
export const MESSAGING_TYPES = ['MESSAGE_TAG', 'RESPONSE', 'UPDATE', 'UTILITY'];

export class FacebookStore {
  readonly posts: FbPost[] = [];
  readonly comments: FbComment[] = [];
  readonly commentById = new Map<string, FbComment>();
  readonly postById = new Map<string, FbPost>();
  readonly messages: FbMessage[] = [];
  /** Last message time (ms) from each PSID: the 24-hour standard messaging window. */
  readonly lastUserMessageAt = new Map<string, number>();
  /** Live replies per comment id (comment_count). */
  readonly replyCount = new Map<string, number>();
  private seq = 100_000;
  private lastAt = 0;

  constructor(readonly page: FbUser) {}

  private nextNum(): number {
    this.seq += 1;
    return this.seq;
  }

  /** Strictly increasing times so order is stable even within one millisecond. */
  private stamp(at?: number): number {
    const t = at ?? Math.max(Date.now(), this.lastAt + 1);
    this.lastAt = Math.max(this.lastAt, t);
    return t;
  }

  addPost(input: { message: string; from?: FbUser; at?: number }): FbPost {
    const at = this.stamp(input.at);
    const post: FbPost = {
      id: `${this.page.id}_${this.nextNum()}`,
      from: input.from ?? this.page,
      message: input.message,
      createdAt: at,
      updatedAt: at,
      hidden: false,
    };
    this.posts.push(post);
    this.postById.set(post.id, post);
    return post;
  }

  /** parentId: a post id, or a comment id for a reply to a comment. */
  addComment(input: { parentId: string; from: FbUser; message: string; at?: number }): FbComment {
    const parentComment = this.commentById.get(input.parentId);
    const post = this.postById.get(parentComment?.postId ?? input.parentId);
    if (!post) throw new Error(`no such object ${input.parentId}`);
    const at = this.stamp(input.at);
    const postNum = post.id.split('_')[1] ?? '0';
    const comment: FbComment = {
      id: `${postNum}_${this.nextNum()}`,
      postId: post.id,
      parentId: parentComment ? parentComment.id : null,
      from: input.from,
      message: input.message,
      createdAt: at,
      deleted: false,
      hidden: false,
      privateReplied: false,
    };
    post.updatedAt = Math.max(post.updatedAt, at);
    if (comment.parentId)
      this.replyCount.set(comment.parentId, (this.replyCount.get(comment.parentId) ?? 0) + 1);
    this.comments.push(comment);
    this.commentById.set(comment.id, comment);
    return comment;
  }

  addMessage(input: { psid: string; text: string; fromPage?: boolean; at?: number }): FbMessage {
    const at = this.stamp(input.at);
    const m: FbMessage = {
      mid: `m_${Buffer.from(`${input.psid}:${this.nextNum()}`).toString('base64url')}`,
      psid: input.psid,
      fromPage: input.fromPage ?? false,
      text: input.text,
      at,
    };
    this.messages.push(m);
    if (!m.fromPage)
      this.lastUserMessageAt.set(m.psid, Math.max(this.lastUserMessageAt.get(m.psid) ?? 0, at));
    return m;
  }

  /** Mark a comment deleted (by its author, or by the page through the API). */
  deleteComment(c: FbComment): void {
    if (c.deleted) return;
    c.deleted = true;
    if (c.parentId) this.replyCount.set(c.parentId, Math.max(0, (this.replyCount.get(c.parentId) ?? 1) - 1));
  }

  permalink(post: FbPost, comment?: FbComment): string {
    const [pageId, postNum] = post.id.split('_');
    const base = `https://www.facebook.com/${pageId}/posts/${postNum}`;
    return comment ? `${base}?comment_id=${comment.id.split('_')[1]}` : base;
  }

  commentNode(c: FbComment, fields: string[]): Record<string, unknown> {
    const post = this.postById.get(c.postId)!;
    const replies = this.replyCount.get(c.id) ?? 0;
    const all: Record<string, unknown> = {
      id: c.id,
      message: c.message,
      created_time: graphTime(c.createdAt),
      from: { name: c.from.name, id: c.from.id },
      permalink_url: this.permalink(post, c),
      comment_count: replies,
      like_count: 0,
      can_reply_privately: c.from.id !== this.page.id && !c.privateReplied,
      can_remove: true,
      is_hidden: c.hidden,
      is_private: false,
    };
    const parent = c.parentId ? this.commentById.get(c.parentId) : undefined;
    if (parent) {
      all.parent = {
        created_time: graphTime(parent.createdAt),
        from: { name: parent.from.name, id: parent.from.id },
        message: parent.message,
        id: parent.id,
      };
    }
    return pick(all, fields);
  }

  postNode(p: FbPost, fields: string[]): Record<string, unknown> {
    return pick(
      {
        id: p.id,
        message: p.message,
        created_time: graphTime(p.createdAt),
        updated_time: graphTime(p.updatedAt),
        from: { name: p.from.name, id: p.from.id },
        permalink_url: this.permalink(p),
        is_hidden: p.hidden,
        is_published: true,
        status_type: 'mobile_status_update',
      },
      fields,
    );
  }
}

function pick(all: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (all[f] !== undefined) out[f] = all[f];
  return out;
}
