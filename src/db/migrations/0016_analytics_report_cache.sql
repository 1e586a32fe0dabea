CREATE UNLOGGED TABLE "analytics_report_cache" (
	"key" text PRIMARY KEY NOT NULL,
	"generation" integer NOT NULL,
	"body" jsonb NOT NULL,
	"computed_ms" integer NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analytics_rollup_state" ADD COLUMN "generation" integer DEFAULT 0 NOT NULL;