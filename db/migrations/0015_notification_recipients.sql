-- Notifications as one shared row per thing that moved (notification_events,
-- holding every line that says why) and one narrow row per person who hears of
-- it (notification_recipients), instead of a wide row per person with two
-- foreign-key checks each (db/schema-notifications.ts, ADR 0008).
CREATE TABLE IF NOT EXISTS "notification_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"link" text NOT NULL,
	"whys" jsonb NOT NULL,
	"dedupe_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "notification_recipients" (
	"account_id" text NOT NULL,
	"notification_id" bigint NOT NULL,
	"why" smallint NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "notification_recipients_account_id_notification_id_pk" PRIMARY KEY("account_id", "notification_id")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "notification_recipients_notification_idx" ON "notification_recipients" USING brin ("notification_id");
--> statement-breakpoint
-- The rows stored so far: each event's rows become one shared row that keeps the
-- smallest of their ids (the rows of one event were written by one statement,
-- so their ids are one block and every read_through and mailed_through mark
-- still falls between the same notifications), with their distinct lines.
INSERT INTO "notification_events" ("id", "kind", "title", "link", "whys", "dedupe_key", "created_at")
SELECT min(n."id"), n."kind", n."title", n."link",
       (SELECT jsonb_agg(jsonb_build_array(w."group_label", w."reason") ORDER BY w."group_label", w."reason")
        FROM (SELECT DISTINCT m."group_label", m."reason" FROM "notifications" m
              WHERE m."dedupe_key" = n."dedupe_key" AND m."kind" = n."kind" AND m."title" = n."title" AND m."link" = n."link") w),
       n."dedupe_key", min(n."created_at")
FROM "notifications" n
GROUP BY n."dedupe_key", n."kind", n."title", n."link"
ON CONFLICT ("id") DO NOTHING;
--> statement-breakpoint
INSERT INTO "notification_recipients" ("account_id", "notification_id", "why", "read_at")
SELECT n."account_id", e."id",
       (SELECT (w.i - 1)::smallint FROM jsonb_array_elements(e."whys") WITH ORDINALITY AS w(v, i)
        WHERE w.v = jsonb_build_array(n."group_label", n."reason")),
       n."read_at"
FROM "notifications" n
JOIN "notification_events" e ON e."dedupe_key" = n."dedupe_key" AND e."kind" = n."kind" AND e."title" = n."title" AND e."link" = n."link"
ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- New notifications come after every old one, so the marks keep their meaning.
SELECT setval(pg_get_serial_sequence('notification_events', 'id'),
              greatest((SELECT coalesce(max("id"), 0) FROM "notifications"), (SELECT coalesce(max("id"), 0) FROM "notification_events")) + 1, false);
--> statement-breakpoint
DROP TABLE IF EXISTS "notifications";
--> statement-breakpoint
-- An account removed from the database takes its notifications with it (what a foreign key with ON DELETE CASCADE did).
CREATE OR REPLACE FUNCTION "notification_recipients_forget_account"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM "notification_recipients" WHERE "account_id" = OLD."id";
	RETURN OLD;
END;
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS "accounts_forget_notifications" ON "accounts";
--> statement-breakpoint
CREATE TRIGGER "accounts_forget_notifications" AFTER DELETE ON "accounts"
FOR EACH ROW EXECUTE FUNCTION "notification_recipients_forget_account"();
