ALTER TABLE "plaid_webhooks" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "plaid_webhooks" ADD COLUMN "delivery_count" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "plaid_webhooks" ADD COLUMN "last_delivered_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "plaid_webhooks_content_idx" ON "plaid_webhooks" USING btree ("plaid_item_id","content_hash","received_at" DESC NULLS LAST);