-- plaid_transactions hash-partitioned by item_id, with Plaid's object moved to plaid_transaction_raw
-- (partitioned the same way), rows already stored kept. Written by hand: drizzle cannot express
-- partitioning; db/schema/transactions.ts describes the same columns, keys and indexes, so
-- `npm run db:generate` sees no change. The partition count is fixed here, once:
-- `tributary.transaction_partitions` (db/migrate.ts sets it from TRANSACTION_PARTITIONS), default 16.
-- Changing it later means a new migration that copies the rows again.
ALTER TABLE "plaid_transactions" RENAME TO "plaid_transactions_unpartitioned";--> statement-breakpoint
ALTER TABLE "plaid_transactions_unpartitioned" DROP CONSTRAINT "plaid_transactions_item_id_plaid_items_id_fk";--> statement-breakpoint
DROP INDEX "plaid_transactions_item_date_idx";--> statement-breakpoint
DROP INDEX "plaid_transactions_account_date_idx";--> statement-breakpoint
DROP INDEX "plaid_transactions_pending_link_idx";--> statement-breakpoint
CREATE TABLE "plaid_transactions" (
	"id" text NOT NULL,
	"item_id" uuid NOT NULL,
	"account_id" text NOT NULL,
	"amount" numeric(19, 4) NOT NULL,
	"iso_currency_code" text,
	"unofficial_currency_code" text,
	"date" date NOT NULL,
	"authorized_date" date,
	"datetime" timestamp with time zone,
	"name" text NOT NULL,
	"merchant_name" text,
	"pending" boolean NOT NULL,
	"pending_transaction_id" text,
	"category_primary" text,
	"category_detailed" text,
	"payment_channel" text,
	"logo_url" text,
	"raw_digest" uuid,
	"removed_at" timestamp with time zone,
	"version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plaid_transactions_item_id_id_pk" PRIMARY KEY("item_id","id")
) PARTITION BY HASH ("item_id");--> statement-breakpoint
CREATE TABLE "plaid_transaction_raw" (
	"item_id" uuid NOT NULL,
	"transaction_id" text NOT NULL,
	"raw" jsonb NOT NULL,
	CONSTRAINT "plaid_transaction_raw_item_id_transaction_id_pk" PRIMARY KEY("item_id","transaction_id")
) PARTITION BY HASH ("item_id");--> statement-breakpoint
DO $$
DECLARE
	n integer := coalesce(nullif(current_setting('tributary.transaction_partitions', true), '')::integer, 16);
BEGIN
	IF n < 1 OR n > 1024 THEN
		RAISE EXCEPTION 'tributary.transaction_partitions must be between 1 and 1024, not %', n;
	END IF;
	FOR i IN 0 .. n - 1 LOOP
		EXECUTE format('CREATE TABLE %I PARTITION OF "plaid_transactions" FOR VALUES WITH (MODULUS %s, REMAINDER %s)',
			'plaid_transactions_p' || lpad(i::text, 3, '0'), n, i);
		EXECUTE format('CREATE TABLE %I PARTITION OF "plaid_transaction_raw" FOR VALUES WITH (MODULUS %s, REMAINDER %s)',
			'plaid_transaction_raw_p' || lpad(i::text, 3, '0'), n, i);
	END LOOP;
END
$$;--> statement-breakpoint
INSERT INTO "plaid_transactions" ("id", "item_id", "account_id", "amount", "iso_currency_code", "unofficial_currency_code",
	"date", "authorized_date", "datetime", "name", "merchant_name", "pending", "pending_transaction_id", "category_primary",
	"category_detailed", "payment_channel", "logo_url", "raw_digest", "removed_at", "version", "created_at", "updated_at")
SELECT "id", "item_id", "account_id", "amount", "iso_currency_code", "unofficial_currency_code",
	"date", "authorized_date", "datetime", "name", "merchant_name", "pending", "pending_transaction_id", "category_primary",
	"category_detailed", "payment_channel", "logo_url", md5("raw"::text)::uuid, "removed_at", "version", "created_at", "updated_at"
FROM "plaid_transactions_unpartitioned";--> statement-breakpoint
INSERT INTO "plaid_transaction_raw" ("item_id", "transaction_id", "raw")
SELECT "item_id", "id", "raw" FROM "plaid_transactions_unpartitioned";--> statement-breakpoint
DROP TABLE "plaid_transactions_unpartitioned";--> statement-breakpoint
ALTER TABLE "plaid_transactions" ADD CONSTRAINT "plaid_transactions_item_id_plaid_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."plaid_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plaid_transactions_item_date_idx" ON "plaid_transactions" USING btree ("item_id","date" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "plaid_transactions_account_date_idx" ON "plaid_transactions" USING btree ("account_id","date" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "plaid_transactions_pending_link_idx" ON "plaid_transactions" USING btree ("pending_transaction_id");--> statement-breakpoint
CREATE INDEX "plaid_api_calls_created_idx" ON "plaid_api_calls" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "job_runs_finished_idx" ON "job_runs" USING btree ("finished_at") WHERE status in ('COMPLETED', 'FAILED', 'CANCELLED');--> statement-breakpoint
CREATE INDEX "stream_outbox_published_at_idx" ON "stream_outbox" USING btree ("published_at") WHERE published_at is not null;--> statement-breakpoint
CREATE INDEX "plaid_webhooks_handled_idx" ON "plaid_webhooks" USING btree (coalesce("processed_at", "received_at")) WHERE state in ('PROCESSED', 'IGNORED');
