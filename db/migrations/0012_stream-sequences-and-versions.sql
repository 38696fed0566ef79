CREATE TABLE "stream_sequences" (
	"item_id" uuid NOT NULL,
	"stream" text NOT NULL,
	"last_sequence" bigint NOT NULL,
	CONSTRAINT "stream_sequences_item_id_stream_pk" PRIMARY KEY("item_id","stream")
);
--> statement-breakpoint
ALTER TABLE "plaid_accounts" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "plaid_items" ADD COLUMN "stream_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stream_outbox" ADD COLUMN "item_sequence" bigint;--> statement-breakpoint
ALTER TABLE "transaction_changes" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "plaid_transactions" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "stream_outbox_item_sequence_idx" ON "stream_outbox" USING btree ("item_id","stream","item_sequence");