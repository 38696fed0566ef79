ALTER TABLE "plaid_items" ADD COLUMN "webhook_url" text;--> statement-breakpoint
ALTER TABLE "plaid_items" ADD COLUMN "webhook_confirmed_at" timestamp with time zone;