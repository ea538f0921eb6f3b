DROP TABLE "announced_projects" CASCADE;--> statement-breakpoint
ALTER TABLE "collaboration_requests" DROP COLUMN "queued_at";--> statement-breakpoint
-- The digest of our actor as followers were last sent it: the journal replaces it.
DELETE FROM "settings" WHERE "key" = 'federation.announcedProfile';
