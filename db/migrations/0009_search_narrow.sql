ALTER TABLE "search_documents" DROP COLUMN "summary";--> statement-breakpoint
ALTER TABLE "search_documents" DROP COLUMN "floke";--> statement-breakpoint
ALTER TABLE "search_documents" DROP COLUMN "behov";--> statement-breakpoint
ALTER TABLE "search_documents" DROP COLUMN "description";--> statement-breakpoint
ALTER TABLE "search_documents" DROP COLUMN "lessons";