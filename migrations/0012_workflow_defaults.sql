-- Every existing organization gets exactly the four default statuses (open unstarted,
-- in_progress started, done completed, canceled canceled) and no transition rules, so nothing
-- changes for anyone who does not touch the workflow. Hand-written (drizzle-kit --custom).
INSERT INTO `workflow_statuses` (`organization_id`, `code`, `name`, `category`, `position`, `is_default`, `created_at`)
SELECT o.`id`, d.`code`, d.`name`, d.`category`, d.`position`, 0, o.`created_at`
FROM `organizations` o
CROSS JOIN (
	SELECT 'open' AS `code`, 'Open' AS `name`, 'unstarted' AS `category`, 1 AS `position`
	UNION ALL SELECT 'in_progress', 'In progress', 'started', 2
	UNION ALL SELECT 'done', 'Done', 'completed', 3
	UNION ALL SELECT 'canceled', 'Canceled', 'canceled', 4
) d;
--> statement-breakpoint
-- The new permission workflow:manage: owners have it through `*`; the built-in admin role (every
-- permission but org:delete) gains it in every organization.
UPDATE `roles` SET `permissions` = `permissions` || ',workflow:manage'
WHERE `is_system` = 1 AND `code` = 'admin' AND (',' || `permissions` || ',') NOT LIKE '%,workflow:manage,%';
