/**
 * Named prepared statements for hot, parameterised queries: PostgreSQL parses and plans each query
 * shape once per connection instead of on every request. The statement is named after a hash of its
 * text, so the same shape shares one statement; every value must be a parameter (the text may depend
 * only on the query's shape), and the shape must leave the planner one sensible plan, because after a
 * few executions PostgreSQL may reuse a generic plan for it.
 */
import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './client.ts';

const dialect = new PgDialect();

/** Runs `query` as a named prepared statement; `prefix` tells statements apart in pg_prepared_statements. */
export async function preparedRows<T>(db: Db, query: SQL, prefix = 'ps'): Promise<T[]> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  const name = `${prefix}_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
  const res = await db.$client.query({ name, text, values: params as unknown[] });
  return res.rows as T[];
}
