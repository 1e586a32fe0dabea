/** The replies service and outbox as a web process builds them from its AppContext. */
import { OUTBOX_JOB } from '../../jobs/outbox.ts';
import { outbox } from '../../services/outbox.ts';
import { type RepliesService, repliesService } from '../../services/replies.ts';
import type { AppContext } from '../context.ts';

const cache = new WeakMap<AppContext, RepliesService>();

export function repliesFor(ctx: AppContext): RepliesService {
  let s = cache.get(ctx);
  if (!s) {
    s = repliesService({
      db: ctx.database.db,
      undoWindowSeconds: ctx.config.undoWindowSeconds,
      wake: async (at) => {
        // The worker sends due replies; a web process only nudges it at the end of the undo window.
        await ctx.boss?.send(OUTBOX_JOB, {}, { startAfter: at });
      },
    });
    cache.set(ctx, s);
  }
  return s;
}

export function outboxFor(ctx: AppContext) {
  return outbox({
    db: ctx.database.db,
    encryptionKey: ctx.config.encryptionKey,
    baseUrl: ctx.config.baseUrl,
    bus: ctx.bus,
  });
}
