ALTER TABLE "job_runs" ADD COLUMN "concurrency" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "job_runs" ADD COLUMN "locked_by" text;--> statement-breakpoint
ALTER TABLE "job_runs" ADD COLUMN "locked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "job_runs" ADD COLUMN "attempt_errors" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
CREATE INDEX "job_runs_function_idx" ON "job_runs" USING btree ("function_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "job_runs_debounce_pending_idx" ON "job_runs" USING btree ("debounce_key") WHERE status = 'QUEUED' and started_at is null and debounce_key is not null;