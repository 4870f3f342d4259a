-- The search-index triggers on tickets, again: rebuilding the table (0009, to give tickets.status
-- its composite foreign key into workflow_statuses) dropped them with the old table. The same
-- triggers as 0002 writes. Hand-written (drizzle-kit --custom).
CREATE TRIGGER `tickets_search_ai` AFTER INSERT ON `tickets` BEGIN
	INSERT INTO `ticket_search` (`rowid`, `organization_id`, `title`, `body`, `comments`)
	VALUES (new.`id`, 'o' || new.`organization_id`, tkt_search_text(new.`organization_id`, new.`title`),
		tkt_search_text(new.`organization_id`, new.`body`), '');
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_search_au` AFTER UPDATE OF `title`, `body` ON `tickets` BEGIN
	UPDATE `ticket_search` SET `title` = tkt_search_text(new.`organization_id`, new.`title`),
		`body` = tkt_search_text(new.`organization_id`, new.`body`)
	WHERE `rowid` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_search_ad` AFTER DELETE ON `tickets` BEGIN
	DELETE FROM `ticket_search` WHERE `rowid` = old.`id`;
END;
