-- Comments, audit events and invitations get ids numbered per organization (issue 11, item 9):
-- the global ids showed a member how much other organizations did from the gaps. Existing rows
-- are numbered per organization in the order of their old ids, each org's counters set after
-- them, and the audit events that named an old id (an invitation's target, a replacing
-- invitation, a comment) rewritten to the new number.
UPDATE `comments` SET `number` = n.`number`
FROM (SELECT `id`, row_number() OVER (PARTITION BY `organization_id` ORDER BY `id`) AS `number` FROM `comments`) AS n
WHERE `comments`.`id` = n.`id`;
--> statement-breakpoint
UPDATE `audit_events` SET `number` = n.`number`
FROM (SELECT `id`, row_number() OVER (PARTITION BY `organization_id` ORDER BY `id`) AS `number` FROM `audit_events`) AS n
WHERE `audit_events`.`id` = n.`id`;
--> statement-breakpoint
UPDATE `invitations` SET `number` = n.`number`
FROM (SELECT `id`, row_number() OVER (PARTITION BY `organization_id` ORDER BY `id`) AS `number` FROM `invitations`) AS n
WHERE `invitations`.`id` = n.`id`;
--> statement-breakpoint
UPDATE `organizations` SET
	`next_comment_number` = 1 + coalesce((SELECT max(`number`) FROM `comments` WHERE `organization_id` = `organizations`.`id`), 0),
	`next_audit_number` = 1 + coalesce((SELECT max(`number`) FROM `audit_events` WHERE `organization_id` = `organizations`.`id`), 0),
	`next_invite_number` = 1 + coalesce((SELECT max(`number`) FROM `invitations` WHERE `organization_id` = `organizations`.`id`), 0);
--> statement-breakpoint
UPDATE `audit_events` SET `target` = CAST(i.`number` AS TEXT)
FROM `invitations` AS i
WHERE `audit_events`.`target_type` = 'invitation' AND i.`organization_id` = `audit_events`.`organization_id`
	AND i.`id` = CAST(`audit_events`.`target` AS INTEGER);
--> statement-breakpoint
UPDATE `audit_events` SET `details` = json_set(`details`, '$.replacedBy', i.`number`)
FROM `invitations` AS i
WHERE `audit_events`.`action` = 'invite.revoke' AND i.`organization_id` = `audit_events`.`organization_id`
	AND i.`id` = json_extract(`audit_events`.`details`, '$.replacedBy');
--> statement-breakpoint
UPDATE `audit_events` SET `details` = json_set(`details`, '$.commentId', c.`number`)
FROM `comments` AS c
WHERE `audit_events`.`action` = 'ticket.comment' AND c.`organization_id` = `audit_events`.`organization_id`
	AND c.`id` = json_extract(`audit_events`.`details`, '$.commentId');
