-- A fan-out to N inboxes queued N deliveries, each carrying the whole activity
-- and the signing keys (about 6 kB of JSON, 240 copies for 357 followers):
-- the insert, and every claim that read a delivery's inbox, parsed and
-- decompressed those copies. What the deliveries of one fan-out share is now
-- stored once (federation/queue.ts) and each delivery names it.
CREATE TABLE IF NOT EXISTS "fedify_queue_payloads" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"body" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "fedify_queue" ADD COLUMN IF NOT EXISTS "payload_id" bigint;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "fedify_queue_payload_idx" ON "fedify_queue" ("payload_id") WHERE "payload_id" IS NOT NULL;
