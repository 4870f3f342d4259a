CREATE TABLE `attachment_blobs` (
	`organization_id` integer NOT NULL,
	`sha256` text NOT NULL,
	`size` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`organization_id`, `sha256`),
	FOREIGN KEY (`organization_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `attachment_chunks` (
	`organization_id` integer NOT NULL,
	`sha256` text NOT NULL,
	`seq` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`organization_id`, `sha256`, `seq`),
	FOREIGN KEY (`organization_id`,`sha256`) REFERENCES `attachment_blobs`(`organization_id`,`sha256`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organization_id` integer NOT NULL,
	`number` integer NOT NULL,
	`ticket_id` integer NOT NULL,
	`sha256` text NOT NULL,
	`name` text NOT NULL,
	`size` integer NOT NULL,
	`content_type` text NOT NULL,
	`uploader_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`uploader_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organization_id`,`ticket_id`) REFERENCES `tickets`(`organization_id`,`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`organization_id`,`sha256`) REFERENCES `attachment_blobs`(`organization_id`,`sha256`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attachments_org_number_uq` ON `attachments` (`organization_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `attachments_org_id_uq` ON `attachments` (`organization_id`,`id`);--> statement-breakpoint
CREATE INDEX `attachments_org_ticket_idx` ON `attachments` (`organization_id`,`ticket_id`,`id`);--> statement-breakpoint
CREATE INDEX `attachments_org_sha_idx` ON `attachments` (`organization_id`,`sha256`);--> statement-breakpoint
ALTER TABLE `organizations` ADD `next_attachment_number` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `attachment_quota` integer;