CREATE TABLE "analytics_conversation_facts" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"channel_kind" text NOT NULL,
	"queue" text NOT NULL,
	"initial_queue" text NOT NULL,
	"team" text,
	"assignee_id" uuid,
	"intent" text NOT NULL,
	"priority" text NOT NULL,
	"status" text NOT NULL,
	"started_public" boolean NOT NULL,
	"public_complaint" boolean NOT NULL,
	"no_response_needed" boolean NOT NULL,
	"inbound_needing" integer NOT NULL,
	"inbound_answered" integer NOT NULL,
	"agent_replies" integer NOT NULL,
	"first_response_at" timestamp with time zone,
	"first_public_response_at" timestamp with time zone,
	"frt_wall_s" integer,
	"frt_business_s" integer,
	"resolved_at" timestamp with time zone,
	"resolution_wall_s" integer,
	"resolution_business_s" integer,
	"sla_first_response" text,
	"sla_resolution" text,
	"sla_next_cycles" integer DEFAULT 0 NOT NULL,
	"sla_next_missed" integer DEFAULT 0 NOT NULL,
	"resolution_notice" text,
	"sentiment_first" smallint,
	"sentiment_last" smallint,
	"handoffs" integer DEFAULT 0 NOT NULL,
	"queue_handoffs" integer DEFAULT 0 NOT NULL,
	"reopens" integer DEFAULT 0 NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "analytics_daily" (
	"day" date NOT NULL,
	"channel_kind" text NOT NULL,
	"queue" text NOT NULL,
	"team" text DEFAULT '' NOT NULL,
	"intent" text NOT NULL,
	"conversations" integer NOT NULL,
	"public_complaints" integer NOT NULL,
	"responded" integer NOT NULL,
	"resolved" integer NOT NULL,
	"inbound_needing" integer NOT NULL,
	"inbound_answered" integer NOT NULL,
	"frt_count" integer NOT NULL,
	"frt_wall_sum_s" real NOT NULL,
	"sla_fr_met" integer NOT NULL,
	"sla_fr_missed" integer NOT NULL,
	"notice_missing" integer NOT NULL,
	"misrouted" integer NOT NULL,
	CONSTRAINT "analytics_daily_day_channel_kind_queue_team_intent_pk" PRIMARY KEY("day","channel_kind","queue","team","intent")
);
--> statement-breakpoint
CREATE TABLE "analytics_rollup_state" (
	"name" text PRIMARY KEY NOT NULL,
	"watermark" timestamp with time zone NOT NULL,
	"last_run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_run_rows" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "csat_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"score" smallint,
	"comment" text,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"responded_at" timestamp with time zone,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "analytics_facts_created_idx" ON "analytics_conversation_facts" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "analytics_facts_channel_idx" ON "analytics_conversation_facts" USING btree ("channel_kind","created_at");--> statement-breakpoint
CREATE INDEX "analytics_facts_queue_idx" ON "analytics_conversation_facts" USING btree ("queue","created_at");--> statement-breakpoint
CREATE INDEX "analytics_facts_team_idx" ON "analytics_conversation_facts" USING btree ("team","created_at");--> statement-breakpoint
CREATE INDEX "analytics_facts_assignee_idx" ON "analytics_conversation_facts" USING btree ("assignee_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "csat_token_idx" ON "csat_responses" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "csat_conversation_idx" ON "csat_responses" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "csat_sent_idx" ON "csat_responses" USING btree ("sent_at");--> statement-breakpoint
CREATE INDEX "csat_responded_idx" ON "csat_responses" USING btree ("responded_at") WHERE score is not null;