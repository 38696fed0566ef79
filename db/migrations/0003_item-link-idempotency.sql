ALTER TABLE "plaid_items" ADD COLUMN "public_token_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "sync_runs_one_remine_idx" ON "sync_runs" USING btree ("item_id") WHERE kind = 'remine' and status in ('QUEUED', 'RUNNING');--> statement-breakpoint
ALTER TABLE "plaid_items" ADD CONSTRAINT "plaid_items_public_token_hash_unique" UNIQUE("public_token_hash");