DROP INDEX "ignored_posts_at_idx";--> statement-breakpoint
CREATE INDEX "ignored_posts_at_post_idx" ON "ignored_posts" USING btree ("at","post_id");--> statement-breakpoint
CREATE INDEX "ignored_posts_reason_at_idx" ON "ignored_posts" USING btree ("reason","at","post_id");