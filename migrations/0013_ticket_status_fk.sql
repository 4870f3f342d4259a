PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_tickets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`number` integer NOT NULL,
	`title` text NOT NULL,
	`body` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`priority` text DEFAULT 'none' NOT NULL,
	`assignee_id` integer,
	`reporter_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`external` text,
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`reporter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`,`assignee_id`) REFERENCES `memberships`(`organization_id`,`user_id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`,`status`) REFERENCES `workflow_statuses`(`organization_id`,`code`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "tickets_priority_check" CHECK("__new_tickets"."priority" in ('none', 'low', 'medium', 'high', 'urgent'))
);
--> statement-breakpoint
INSERT INTO `__new_tickets`("id", "organization_id", "number", "title", "body", "status", "priority", "assignee_id", "reporter_id", "created_at", "updated_at", "external") SELECT "id", "organization_id", "number", "title", "body", "status", "priority", "assignee_id", "reporter_id", "created_at", "updated_at", "external" FROM `tickets`;--> statement-breakpoint
DROP TABLE `tickets`;--> statement-breakpoint
ALTER TABLE `__new_tickets` RENAME TO `tickets`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_org_number_uq` ON `tickets` (`organization_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_org_external_uq` ON `tickets` (`organization_id`,`external`) WHERE "tickets"."external" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_org_id_uq` ON `tickets` (`organization_id`,`id`);--> statement-breakpoint
CREATE INDEX `tickets_org_status_idx` ON `tickets` (`organization_id`,`status`,`number`);--> statement-breakpoint
CREATE INDEX `tickets_org_assignee_idx` ON `tickets` (`organization_id`,`assignee_id`,`number`);--> statement-breakpoint
CREATE INDEX `tickets_org_created_idx` ON `tickets` (`organization_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_org_updated_idx` ON `tickets` (`organization_id`,`updated_at`);