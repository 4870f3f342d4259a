ALTER TABLE "tickets" DROP CONSTRAINT "tickets_status_check";--> statement-breakpoint
ALTER TABLE "tickets" ALTER COLUMN "status" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_status_fk" FOREIGN KEY ("organization_id","status") REFERENCES "public"."workflow_statuses"("organization_id","code") ON DELETE no action ON UPDATE no action;