-- Rows written before per-item sequences: number them in outbox order, and start each item's
-- counter after them, so new records continue gap-free.
UPDATE "stream_outbox" o SET "item_sequence" = n.rn
FROM (SELECT "seq", row_number() OVER (PARTITION BY "item_id", "stream" ORDER BY "seq") AS rn FROM "stream_outbox") n
WHERE o."seq" = n."seq" AND o."item_sequence" IS NULL;--> statement-breakpoint
INSERT INTO "stream_sequences" ("item_id", "stream", "last_sequence")
SELECT "item_id", "stream", max("item_sequence") FROM "stream_outbox" GROUP BY "item_id", "stream"
ON CONFLICT DO NOTHING;--> statement-breakpoint
UPDATE "plaid_accounts" SET "version" = 1 WHERE "version" = 0;--> statement-breakpoint
UPDATE "plaid_transactions" SET "version" = 1 WHERE "version" = 0;
