CREATE TABLE "transaction_changes" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"item_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"change_type" text NOT NULL,
	"transaction" jsonb NOT NULL,
	"posted_transaction_id" text,
	"institution_id" text,
	"institution_name" text,
	"source_version" text,
	"received_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
