CREATE UNIQUE INDEX `audit_org_number_uq` ON `audit_events` (`organization_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `comments_org_number_uq` ON `comments` (`organization_id`,`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_org_number_uq` ON `invitations` (`organization_id`,`number`);