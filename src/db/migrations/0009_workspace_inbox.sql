-- Agent workspace: inbox indexes (every view reads one partial index in SLA-due / priority / age order)
-- and statement-level triggers that announce changed conversations on the realtime bus.
CREATE INDEX IF NOT EXISTS "conversations_active_due_idx" ON "conversations" ("queue", (CASE WHEN "first_responded_at" IS NULL THEN "first_response_due_at" ELSE "next_response_due_at" END), "id") WHERE "status" IN ('new', 'open', 'waiting_on_customer');--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conversations_unassigned_due_idx" ON "conversations" ("queue", (CASE WHEN "first_responded_at" IS NULL THEN "first_response_due_at" ELSE "next_response_due_at" END), "id") WHERE "status" IN ('new', 'open') AND "assignee_id" IS NULL;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conversations_mine_due_idx" ON "conversations" ("assignee_id", (CASE WHEN "first_responded_at" IS NULL THEN "first_response_due_at" ELSE "next_response_due_at" END), "id") WHERE "status" IN ('new', 'open', 'waiting_on_customer');--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conversations_team_due_idx" ON "conversations" ("team", (CASE WHEN "first_responded_at" IS NULL THEN "first_response_due_at" ELSE "next_response_due_at" END), "id") WHERE "status" IN ('new', 'open', 'waiting_on_customer');--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conversations_waiting_idx" ON "conversations" ("queue", "last_agent_message_at", "id") WHERE "status" = 'waiting_on_customer';--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conversations_active_priority_idx" ON "conversations" ("queue", "priority_score" DESC, "id") WHERE "status" IN ('new', 'open', 'waiting_on_customer');--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conversations_active_age_idx" ON "conversations" ("queue", "created_at", "id") WHERE "status" IN ('new', 'open', 'waiting_on_customer');--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conversations_resolved_idx" ON "conversations" ("queue", "resolved_at" DESC, "id") WHERE "status" IN ('resolved', 'closed');--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "conversations_tags_idx" ON "conversations" USING gin ("tags");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "replies_draft_idx" ON "replies" ("conversation_id", "author_id") WHERE "status" = 'draft';--> statement-breakpoint
CREATE OR REPLACE FUNCTION earshot_notify_conversations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids text[];
BEGIN
  IF TG_TABLE_NAME = 'posts' THEN
    SELECT array_agg(DISTINCT c) INTO ids FROM (SELECT conversation_id::text AS c FROM new_rows WHERE conversation_id IS NOT NULL LIMIT 41) s;
  ELSE
    SELECT array_agg(c) INTO ids FROM (SELECT id::text AS c FROM new_rows LIMIT 41) s;
  END IF;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('earshot_events', json_build_object(
    'topic', 'conversations.changed',
    'source', TG_TABLE_NAME,
    'op', lower(TG_OP),
    'many', cardinality(ids) > 40,
    'ids', CASE WHEN cardinality(ids) > 40 THEN ARRAY[]::text[] ELSE ids END
  )::text);
  RETURN NULL;
END;
$$;--> statement-breakpoint
DROP TRIGGER IF EXISTS "posts_notify_insert" ON "posts";--> statement-breakpoint
CREATE TRIGGER "posts_notify_insert" AFTER INSERT ON "posts" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION earshot_notify_conversations();--> statement-breakpoint
DROP TRIGGER IF EXISTS "conversations_notify_insert" ON "conversations";--> statement-breakpoint
CREATE TRIGGER "conversations_notify_insert" AFTER INSERT ON "conversations" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION earshot_notify_conversations();--> statement-breakpoint
DROP TRIGGER IF EXISTS "conversations_notify_update" ON "conversations";--> statement-breakpoint
CREATE TRIGGER "conversations_notify_update" AFTER UPDATE ON "conversations" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION earshot_notify_conversations();
