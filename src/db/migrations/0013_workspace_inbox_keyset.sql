-- Agent workspace, second pass.
-- 1. Inbox: every (view, sort) reads a partial index in the ORDER BY's exact direction and null placement
--    (keyset pages, see src/db/repositories/inbox.ts). The resolved view orders by resolved_at DESC NULLS LAST:
--    the 0009 index (DESC = NULLS FIRST) never matched it, so it is replaced.
CREATE INDEX IF NOT EXISTS "conversations_resolved_recent_idx" ON "conversations" ("queue", "resolved_at" DESC NULLS LAST, "id") WHERE "status" IN ('resolved', 'closed');--> statement-breakpoint
DROP INDEX IF EXISTS "conversations_resolved_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conversations_unassigned_priority_idx" ON "conversations" ("queue", "priority_score" DESC, "id") WHERE "status" IN ('new', 'open') AND "assignee_id" IS NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conversations_unassigned_age_idx" ON "conversations" ("queue", "created_at", "id") WHERE "status" IN ('new', 'open') AND "assignee_id" IS NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conversations_mine_priority_idx" ON "conversations" ("assignee_id", "priority_score" DESC, "id") WHERE "status" IN ('new', 'open', 'waiting_on_customer');--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conversations_mine_age_idx" ON "conversations" ("assignee_id", "created_at", "id") WHERE "status" IN ('new', 'open', 'waiting_on_customer');--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conversations_team_priority_idx" ON "conversations" ("team", "priority_score" DESC, "id") WHERE "status" IN ('new', 'open', 'waiting_on_customer');--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conversations_team_age_idx" ON "conversations" ("team", "created_at", "id") WHERE "status" IN ('new', 'open', 'waiting_on_customer');--> statement-breakpoint
-- 2. Realtime: the NOTIFY payload carries each conversation's queue (and, on update, its previous queue),
--    so every subscriber filters by queue visibility without a query per event.
--    Payload: {topic, source, op, many, items: [[id, queue], ...], queues}; with more than 40 conversations
--    `many` is true, `items` is empty and `queues` lists the queues touched (null: unknown, posts).
CREATE OR REPLACE FUNCTION earshot_notify_conversations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  items json;
  n int;
  qs text[];
BEGIN
  IF TG_TABLE_NAME = 'posts' THEN
    SELECT count(*), json_agg(json_build_array(c.id::text, c.queue))
      INTO n, items
      FROM conversations c
      WHERE c.id IN (SELECT DISTINCT conversation_id FROM new_rows WHERE conversation_id IS NOT NULL LIMIT 41);
    qs := NULL;
  ELSE
    SELECT count(*), json_agg(json_build_array(s.id::text, s.queue))
      INTO n, items
      FROM (SELECT id, queue FROM new_rows LIMIT 41) s;
    IF n > 40 THEN
      SELECT array_agg(DISTINCT queue) INTO qs FROM new_rows;
    END IF;
  END IF;
  IF n = 0 THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('earshot_events', json_build_object(
    'topic', 'conversations.changed',
    'source', TG_TABLE_NAME,
    'op', lower(TG_OP),
    'many', n > 40,
    'items', CASE WHEN n > 40 THEN '[]'::json ELSE items END,
    'queues', qs
  )::text);
  RETURN NULL;
END;
$$;--> statement-breakpoint
-- Updates also announce a conversation to its previous queue (a hand-off must leave the old inbox).
CREATE OR REPLACE FUNCTION earshot_notify_conversations_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  items json;
  n int;
  qs text[];
BEGIN
  SELECT count(DISTINCT s.id), json_agg(json_build_array(s.id::text, s.queue))
    INTO n, items
    FROM (
      SELECT x.id, q.queue
      FROM (SELECT nr.id, nr.queue AS new_queue, o.queue AS old_queue
            FROM new_rows nr LEFT JOIN old_rows o ON o.id = nr.id LIMIT 41) x
      CROSS JOIN LATERAL (SELECT x.new_queue AS queue
                          UNION SELECT x.old_queue WHERE x.old_queue IS NOT NULL) q
    ) s;
  IF n = 0 THEN
    RETURN NULL;
  END IF;
  IF n > 40 THEN
    SELECT array_agg(DISTINCT queue) INTO qs FROM (SELECT queue FROM new_rows UNION SELECT queue FROM old_rows) u;
  END IF;
  PERFORM pg_notify('earshot_events', json_build_object(
    'topic', 'conversations.changed',
    'source', TG_TABLE_NAME,
    'op', lower(TG_OP),
    'many', n > 40,
    'items', CASE WHEN n > 40 THEN '[]'::json ELSE items END,
    'queues', qs
  )::text);
  RETURN NULL;
END;
$$;--> statement-breakpoint
DROP TRIGGER IF EXISTS "conversations_notify_update" ON "conversations";--> statement-breakpoint
CREATE TRIGGER "conversations_notify_update" AFTER UPDATE ON "conversations" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION earshot_notify_conversations_update();
