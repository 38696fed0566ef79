CREATE TABLE "change_log_lease" (
	"id" integer PRIMARY KEY NOT NULL,
	"owner" text,
	"lease_until" timestamp with time zone,
	"batch" jsonb
);
--> statement-breakpoint
CREATE TABLE "stream_published_minutes" (
	"stream" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"records" integer NOT NULL,
	CONSTRAINT "stream_published_minutes_stream_minute_pk" PRIMARY KEY("stream","minute")
);
--> statement-breakpoint
INSERT INTO "change_log_lease" ("id") VALUES (1);
