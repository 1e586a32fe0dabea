/** A test database with one X channel and the pipeline's drain dependencies, for pipeline tests. */
import { randomUUID } from 'node:crypto';
import type { InboundPost } from '../../src/domain/inbound-post.ts';
import { shippedClassifier } from '../../src/pipeline/classifier.ts';
import { pipelineConfigCache } from '../../src/pipeline/config.ts';
import type { drainOnce } from '../../src/pipeline/drain.ts';
import { createTestDatabase } from './db.ts';

export interface PipelineTestBed {
  database: Awaited<ReturnType<typeof createTestDatabase>>;
  channelId: string;
  deps: Parameters<typeof drainOnce>[0];
  q<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** An X post to the test channel: a new thread by `author` unless `over` says otherwise. */
  post(author: string, over?: Partial<InboundPost>): InboundPost;
}

export async function pipelineTestBed(channelName = 'Test X'): Promise<PipelineTestBed> {
  const database = await createTestDatabase();
  const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    (await database.pool.query(text, params)).rows as T[];
  const [row] = await q<{ id: string }>(
    `insert into channels (kind, name, base_url) values ('x', $1, 'http://127.0.0.1') returning id`,
    [channelName],
  );
  const channelId = row!.id;
  return {
    database,
    channelId,
    deps: { pool: database.pool, classifier: shippedClassifier(), config: pipelineConfigCache(database.db) },
    q,
    post: (author, over = {}) => xPost(channelId, author, over),
  };
}

/** An X post to the channel: a new thread by `author` unless `over` says otherwise. */
export function xPost(channelId: string, author: string, over: Partial<InboundPost> = {}): InboundPost {
  const id = over.externalId ?? randomUUID();
  return {
    channelKind: 'x',
    channelId,
    externalId: id,
    threadExternalId: id,
    author: { externalId: author, handle: author },
    text: 'Where is my refund? Still waiting after two weeks',
    isPrivate: false,
    createdAt: new Date().toISOString(),
    matchedBy: 'mention',
    ...over,
  };
}
