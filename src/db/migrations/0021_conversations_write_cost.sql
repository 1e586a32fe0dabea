DROP INDEX "conversations_assignee_idx";--> statement-breakpoint
CREATE INDEX "conversations_assignee_idx" ON "conversations" USING btree ("assignee_id","status") WHERE "conversations"."assignee_id" is not null;--> statement-breakpoint
-- Fewer index entries per conversation write (every inbound post writes its conversation):
-- the "mine" and "team" inbox indexes only hold rows that have an assignee / a team, since those views
-- always look up one assignee or team; unassigned, team-less conversations skip six indexes.
DROP INDEX IF EXISTS "conversations_mine_due_idx";--> statement-breakpoint
CREATE INDEX "conversations_mine_due_idx" ON "conversations" ("assignee_id", (CASE WHEN "first_responded_at" IS NULL THEN "first_response_due_at" ELSE "next_response_due_at" END), "id") WHERE "status" IN ('new', 'open', 'waiting_on_customer') AND "assignee_id" IS NOT NULL;--> statement-breakpoint
DROP INDEX IF EXISTS "conversations_mine_priority_idx";--> statement-breakpoint
CREATE INDEX "conversations_mine_priority_idx" ON "conversations" ("assignee_id", "priority_score" DESC, "id") WHERE "status" IN ('new', 'open', 'waiting_on_customer') AND "assignee_id" IS NOT NULL;--> statement-breakpoint
DROP INDEX IF EXISTS "conversations_mine_age_idx";--> statement-breakpoint
CREATE INDEX "conversations_mine_age_idx" ON "conversations" ("assignee_id", "created_at", "id") WHERE "status" IN ('new', 'open', 'waiting_on_customer') AND "assignee_id" IS NOT NULL;--> statement-breakpoint
DROP INDEX IF EXISTS "conversations_team_due_idx";--> statement-breakpoint
CREATE INDEX "conversations_team_due_idx" ON "conversations" ("team", (CASE WHEN "first_responded_at" IS NULL THEN "first_response_due_at" ELSE "next_response_due_at" END), "id") WHERE "status" IN ('new', 'open', 'waiting_on_customer') AND "team" IS NOT NULL;--> statement-breakpoint
DROP INDEX IF EXISTS "conversations_team_priority_idx";--> statement-breakpoint
CREATE INDEX "conversations_team_priority_idx" ON "conversations" ("team", "priority_score" DESC, "id") WHERE "status" IN ('new', 'open', 'waiting_on_customer') AND "team" IS NOT NULL;--> statement-breakpoint
DROP INDEX IF EXISTS "conversations_team_age_idx";--> statement-breakpoint
CREATE INDEX "conversations_team_age_idx" ON "conversations" ("team", "created_at", "id") WHERE "status" IN ('new', 'open', 'waiting_on_customer') AND "team" IS NOT NULL;--> statement-breakpoint
-- Room on each page for the next version of a row: a conversation update that changes no indexed
-- column (a customer message that moves neither priority nor SLA due times) stays a heap-only (HOT)
-- update instead of adding an entry to each of the table's indexes. Applies to pages written from now on.
ALTER TABLE "conversations" SET (fillfactor = 70);
