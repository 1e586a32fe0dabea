/**
 * Publishes scheduled articles whose time has come. Public reads already apply the publish time
 * (a scheduled article is visible from its publish_at on even before this runs); the job makes
 * the state explicit for editors and lists, and announces each publication on the bus.
 */
import type { Db } from '../db/client.ts';
import { articlesRepository } from '../db/repositories/articles.ts';
import type { EventBus } from '../lib/event-bus.ts';

export const PUBLISH_SCHEDULED_JOB = 'articles-publish-scheduled';
/** Every minute. */
export const PUBLISH_SCHEDULED_CRON = '* * * * *';

export async function runPublishScheduled(
  db: Db,
  now: Date = new Date(),
  bus?: Pick<EventBus, 'publish'>,
): Promise<{ published: number }> {
  const rows = await articlesRepository(db).publishDue(now);
  if (bus) {
    for (const row of rows) await bus.publish({ topic: 'article.published', ...row }).catch(() => {});
  }
  return { published: rows.length };
}
