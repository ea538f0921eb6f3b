ALTER TABLE "collaboration_requests" ADD COLUMN "queued_at" timestamp with time zone;--> statement-breakpoint
-- Whatever was owed before this column existed was sent then.
UPDATE "collaboration_requests" SET "queued_at" = coalesce("decided_at", "created_at");
