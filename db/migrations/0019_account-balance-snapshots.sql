CREATE TABLE "account_balance_snapshots" (
	"account_id" text NOT NULL,
	"day" date NOT NULL,
	"current_balance" numeric(19, 4),
	"available_balance" numeric(19, 4),
	"iso_currency_code" text,
	"taken_at" timestamp with time zone NOT NULL,
	CONSTRAINT "account_balance_snapshots_account_id_day_pk" PRIMARY KEY("account_id","day")
);
--> statement-breakpoint
ALTER TABLE "account_balance_snapshots" ADD CONSTRAINT "account_balance_snapshots_account_id_plaid_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."plaid_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Seed each live account's history with the balance already stored, on the day it was read.
INSERT INTO "account_balance_snapshots" ("account_id", "day", "current_balance", "available_balance", "iso_currency_code", "taken_at")
SELECT "id", ("balances_updated_at" AT TIME ZONE 'UTC')::date, "current_balance", "available_balance", "iso_currency_code", "balances_updated_at"
FROM "plaid_accounts" WHERE "balances_updated_at" IS NOT NULL AND "removed_at" IS NULL;
