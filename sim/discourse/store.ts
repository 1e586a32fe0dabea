/** In-memory Discourse forum: users, topics (regular and private messages), posts. */
import type { SimPost, SimTopic, SimUser } from './serialize.ts';

export class DiscourseStore {
  readonly users = new Map<number, SimUser>();
  readonly usersByName = new Map<string, SimUser>();
  readonly topics = new Map<number, SimTopic>();
  readonly posts: SimPost[] = [];
  readonly postById = new Map<number, SimPost>();
  private nextUser = 1;
  private nextTopic = 1;
  private nextPost = 1;
  draftSequence = 0;

  user(username: string): SimUser {
    const key = username.toLowerCase();
    let u = this.usersByName.get(key);
    if (!u) {
      u = { id: this.nextUser++, username, name: username.replace(/[_.-]/g, ' ') };
      this.users.set(u.id, u);
      this.usersByName.set(key, u);
    }
    return u;
  }

  userById = (id: number): SimUser => this.users.get(id) ?? { id, username: 'system', name: 'system' };

  createTopic(input: {
    title: string;
    author: string;
    raw: string;
    categoryId?: number;
    archetype?: SimTopic['archetype'];
    allowed?: string[];
    at?: Date;
  }): { topic: SimTopic; post: SimPost } {
    const user = this.user(input.author);
    const createdAt = (input.at ?? new Date()).toISOString();
    const topic: SimTopic = {
      id: this.nextTopic++,
      title: input.title,
      slug:
        input.title
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '')
          .slice(0, 60) || 'topic',
      categoryId: input.categoryId ?? 1,
      archetype: input.archetype ?? 'regular',
      userId: user.id,
      createdAt,
      allowed: [input.author, ...(input.allowed ?? [])],
      postIds: [],
    };
    this.topics.set(topic.id, topic);
    const post = this.addPost({ topicId: topic.id, author: input.author, raw: input.raw, at: input.at });
    return { topic, post };
  }

  addPost(input: {
    topicId: number;
    author: string;
    raw: string;
    replyToPostNumber?: number;
    at?: Date;
  }): SimPost {
    const topic = this.topics.get(input.topicId);
    if (!topic) throw new Error(`no topic ${input.topicId}`);
    const user = this.user(input.author);
    const at = (input.at ?? new Date()).toISOString();
    const post: SimPost = {
      id: this.nextPost++,
      topicId: topic.id,
      postNumber: topic.postIds.length + 1,
      userId: user.id,
      raw: input.raw,
      createdAt: at,
      updatedAt: at,
      replyToPostNumber: input.replyToPostNumber ?? null,
      deletedAt: null,
    };
    topic.postIds.push(post.id);
    this.posts.push(post);
    this.postById.set(post.id, post);
    return post;
  }

  topicPosts(topic: SimTopic): SimPost[] {
    return topic.postIds.map((id) => this.postById.get(id)).filter((p): p is SimPost => !!p);
  }

  canSee(topic: SimTopic, username: string): boolean {
    return (
      topic.archetype === 'regular' || topic.allowed.some((u) => u.toLowerCase() === username.toLowerCase())
    );
  }
}
