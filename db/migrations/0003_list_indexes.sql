DROP INDEX "projects_listing_idx";--> statement-breakpoint
DROP INDEX "projects_published_at_idx";--> statement-breakpoint
CREATE INDEX "projects_public_updated_idx" ON "projects" USING btree ("updated_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "projects"."published";--> statement-breakpoint
CREATE INDEX "projects_public_newest_idx" ON "projects" USING btree ("published_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "projects"."published";--> statement-breakpoint
CREATE INDEX "projects_all_updated_idx" ON "projects" USING btree ("updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);