CREATE TABLE `workflow_statuses` (
	`organization_id` integer NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`category` text NOT NULL,
	`position` integer NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `code`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "workflow_statuses_category_check" CHECK("workflow_statuses"."category" in ('unstarted', 'started', 'completed', 'canceled'))
);
--> statement-breakpoint
CREATE INDEX `workflow_statuses_org_position_idx` ON `workflow_statuses` (`organization_id`,`position`);--> statement-breakpoint
CREATE UNIQUE INDEX `workflow_statuses_org_default_uq` ON `workflow_statuses` (`organization_id`) WHERE "workflow_statuses"."is_default" = 1;--> statement-breakpoint
CREATE TABLE `workflow_transitions` (
	`organization_id` integer NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`allowed` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `from_status`, `to_status`),
	FOREIGN KEY (`organization_id`,`from_status`) REFERENCES `workflow_statuses`(`organization_id`,`code`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organization_id`,`to_status`) REFERENCES `workflow_statuses`(`organization_id`,`code`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `workflow_transitions_to_idx` ON `workflow_transitions` (`organization_id`,`to_status`);