CREATE TABLE "announced_projects" (
	"url" text PRIMARY KEY NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- Everything published before this table existed was already sent to followers.
INSERT INTO "announced_projects" ("url", "updated_at") SELECT "url", "updated_at" FROM "projects" WHERE "local" AND "published";
