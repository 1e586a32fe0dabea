CREATE TABLE "contact_submissions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ip_hash" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"email" text DEFAULT '' NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"verdict" text NOT NULL,
	"reason" text,
	"thread_external_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email_id" uuid NOT NULL,
	"filename" text DEFAULT '' NOT NULL,
	"content_type" text DEFAULT 'application/octet-stream' NOT NULL,
	"content_id" text,
	"size" integer NOT NULL,
	"content" "bytea",
	"dropped" boolean DEFAULT false NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "email_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel_id" uuid,
	"direction" text NOT NULL,
	"source" text NOT NULL,
	"message_id" text NOT NULL,
	"in_reply_to" text,
	"references" text[] DEFAULT '{}'::text[] NOT NULL,
	"thread_key" text NOT NULL,
	"conversation_id" uuid,
	"reply_token" text,
	"from_address" text DEFAULT '' NOT NULL,
	"from_name" text,
	"to_addresses" text[] DEFAULT '{}'::text[] NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"text_body" text DEFAULT '' NOT NULL,
	"html_body" text,
	"display_text" text DEFAULT '' NOT NULL,
	"automated" text,
	"automated_reason" text,
	"notes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"raw_source" "bytea",
	"raw_size" integer DEFAULT 0 NOT NULL,
	"handed_at" timestamp with time zone,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_outbound" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"idempotency_key" text NOT NULL,
	"message_id" text NOT NULL,
	"conversation_id" uuid,
	"purpose" text NOT NULL,
	"from_address" text NOT NULL,
	"reply_to" text,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"text_body" text NOT NULL,
	"html_body" text,
	"in_reply_to" text,
	"references" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"smtp_response" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_reply_tokens" (
	"token" text PRIMARY KEY NOT NULL,
	"conversation_id" uuid,
	"channel_id" uuid,
	"thread_external_id" text,
	"customer_email" text NOT NULL,
	"purpose" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "email_attachments" ADD CONSTRAINT "email_attachments_email_id_email_messages_id_fk" FOREIGN KEY ("email_id") REFERENCES "public"."email_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_submissions_ip_idx" ON "contact_submissions" USING btree ("ip_hash","created_at");--> statement-breakpoint
CREATE INDEX "email_attachments_email_idx" ON "email_attachments" USING btree ("email_id");--> statement-breakpoint
CREATE UNIQUE INDEX "email_messages_message_id_idx" ON "email_messages" USING btree ("message_id","direction");--> statement-breakpoint
CREATE INDEX "email_messages_thread_idx" ON "email_messages" USING btree ("thread_key");--> statement-breakpoint
CREATE INDEX "email_messages_conversation_idx" ON "email_messages" USING btree ("conversation_id","received_at");--> statement-breakpoint
CREATE INDEX "email_messages_unhanded_idx" ON "email_messages" USING btree ("received_at") WHERE handed_at is null and direction = 'inbound';--> statement-breakpoint
CREATE UNIQUE INDEX "email_outbound_idempotency_idx" ON "email_outbound" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "email_outbound_due_idx" ON "email_outbound" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "email_reply_tokens_conversation_idx" ON "email_reply_tokens" USING btree ("conversation_id");