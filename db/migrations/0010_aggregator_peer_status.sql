CREATE TABLE "peer_status" (
	"actor_url" text PRIMARY KEY NOT NULL,
	"unreachable_since" timestamp with time zone,
	"last_checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text DEFAULT '' NOT NULL
);
