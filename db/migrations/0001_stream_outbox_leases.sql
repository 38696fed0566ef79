-- attempts was jsonb in 0000 (never written); drizzle-kit emits no USING for jsonb -> integer, nor the default.
ALTER TABLE "stream_outbox" ALTER COLUMN "attempts" SET DATA TYPE integer USING coalesce(("attempts" #>> '{}')::integer, 0);--> statement-breakpoint
ALTER TABLE "stream_outbox" ALTER COLUMN "attempts" SET DEFAULT 0;--> statement-breakpoint
ALTER TABLE "stream_outbox" ALTER COLUMN "attempts" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "stream_outbox" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "stream_outbox" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "stream_outbox_pending_item_idx" ON "stream_outbox" USING btree ("item_id","seq") WHERE published_at is null;--> statement-breakpoint
CREATE INDEX "stream_outbox_stream_published_idx" ON "stream_outbox" USING btree ("stream","seq") WHERE published_at is not null;
