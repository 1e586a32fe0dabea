-- Forum full-text search: title (A) and body (C), English stemming, filled by a trigger.
CREATE OR REPLACE FUNCTION community_posts_search_update() RETURNS trigger AS $$
BEGIN
  NEW.search :=
    setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(NEW.body, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER community_posts_search_trigger
  BEFORE INSERT OR UPDATE OF title, body ON community_posts
  FOR EACH ROW EXECUTE FUNCTION community_posts_search_update();
--> statement-breakpoint
-- Only searchable posts (public topic, visible post) are indexed: hidden, pending and private stay out.
CREATE INDEX IF NOT EXISTS community_posts_search_idx ON community_posts USING gin (search) WHERE searchable;
--> statement-breakpoint
-- Term frequencies (pg_stats.most_common_elems) drive the search plan choice: track 10,000 lexemes.
ALTER TABLE community_posts ALTER COLUMN search SET STATISTICS 1000;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS community_topics_title_trgm_idx ON community_topics USING gin (title gin_trgm_ops);
