CREATE TABLE "attachment_blobs" (
	"organization_id" bigint NOT NULL,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "attachment_blobs_pk" PRIMARY KEY("organization_id","sha256")
);
--> statement-breakpoint
CREATE TABLE "attachment_chunks" (
	"organization_id" bigint NOT NULL,
	"sha256" text NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "attachment_chunks_pk" PRIMARY KEY("organization_id","sha256","seq")
);
--> statement-breakpoint
CREATE TABLE "attachments" (
	"organization_id" bigint NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "attachments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"number" bigint NOT NULL,
	"ticket_id" bigint NOT NULL,
	"sha256" text NOT NULL,
	"name" text NOT NULL,
	"size" bigint NOT NULL,
	"content_type" text NOT NULL,
	"uploader_id" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "attachments_pk" PRIMARY KEY("organization_id","id")
);
--> statement-breakpoint
CREATE TABLE "workflow_statuses" (
	"organization_id" bigint NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"position" integer NOT NULL,
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "workflow_statuses_pk" PRIMARY KEY("organization_id","code"),
	CONSTRAINT "workflow_statuses_category_check" CHECK ("workflow_statuses"."category" in ('unstarted', 'started', 'completed', 'canceled'))
);
--> statement-breakpoint
CREATE TABLE "workflow_transitions" (
	"organization_id" bigint NOT NULL,
	"from_status" text NOT NULL,
	"to_status" text NOT NULL,
	"allowed" boolean NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "workflow_transitions_pk" PRIMARY KEY("organization_id","from_status","to_status")
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "next_attachment_number" bigint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "attachment_quota" bigint;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "external" text;--> statement-breakpoint
ALTER TABLE "attachment_blobs" ADD CONSTRAINT "attachment_blobs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachment_chunks" ADD CONSTRAINT "attachment_chunks_blob_fk" FOREIGN KEY ("organization_id","sha256") REFERENCES "public"."attachment_blobs"("organization_id","sha256") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_uploader_id_users_id_fk" FOREIGN KEY ("uploader_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_ticket_fk" FOREIGN KEY ("organization_id","ticket_id") REFERENCES "public"."tickets"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_blob_fk" FOREIGN KEY ("organization_id","sha256") REFERENCES "public"."attachment_blobs"("organization_id","sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_statuses" ADD CONSTRAINT "workflow_statuses_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_transitions" ADD CONSTRAINT "workflow_transitions_from_fk" FOREIGN KEY ("organization_id","from_status") REFERENCES "public"."workflow_statuses"("organization_id","code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflow_transitions" ADD CONSTRAINT "workflow_transitions_to_fk" FOREIGN KEY ("organization_id","to_status") REFERENCES "public"."workflow_statuses"("organization_id","code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "attachments_org_number_uq" ON "attachments" USING btree ("organization_id","number");--> statement-breakpoint
CREATE INDEX "attachments_org_ticket_idx" ON "attachments" USING btree ("organization_id","ticket_id","id");--> statement-breakpoint
CREATE INDEX "attachments_org_sha_idx" ON "attachments" USING btree ("organization_id","sha256");--> statement-breakpoint
CREATE INDEX "workflow_statuses_org_position_idx" ON "workflow_statuses" USING btree ("organization_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "workflow_statuses_org_default_uq" ON "workflow_statuses" USING btree ("organization_id") WHERE "workflow_statuses"."is_default";--> statement-breakpoint
CREATE INDEX "workflow_transitions_to_idx" ON "workflow_transitions" USING btree ("organization_id","to_status");--> statement-breakpoint
CREATE UNIQUE INDEX "tickets_org_external_uq" ON "tickets" USING btree ("organization_id","external") WHERE "tickets"."external" IS NOT NULL;