CREATE TABLE "inbound_deletions" (
	"channel_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"deleted_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbound_deletions_channel_id_external_id_pk" PRIMARY KEY("channel_id","external_id")
);
