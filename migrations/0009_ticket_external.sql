ALTER TABLE `tickets` ADD `external` text;--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_org_external_uq` ON `tickets` (`organization_id`,`external`) WHERE "tickets"."external" IS NOT NULL;