-- The queue's workers claim inbound activities and outbound deliveries apart
-- (federation/queue.ts, #claim), filtering on the message's type. Without an
-- index per kind, each claim read every queued row's JSON to find the few of
-- its kind; during a burst of accepted activities that was the largest part
-- of the database's work. The predicates match #claim's to the letter.
CREATE INDEX IF NOT EXISTS "fedify_queue_inbound_idx" ON "fedify_queue" ("run_at", "id") WHERE (message->>'type') = 'inbox';
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "fedify_queue_outbound_idx" ON "fedify_queue" ("run_at", "id") WHERE (message->>'type') IS DISTINCT FROM 'inbox';
