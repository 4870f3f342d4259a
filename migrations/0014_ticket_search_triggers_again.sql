-- The search-index triggers on tickets, again: rebuilding the table (0013, to give tickets.status
-- its composite foreign key into workflow_statuses) dropped them with the old table. The same
-- triggers as 0010 (insert, update: CJK terms and `external`) and 0002 (delete) write.
-- Hand-written (drizzle-kit --custom).
CREATE TRIGGER `tickets_search_insert` AFTER INSERT ON `tickets` WHEN tkt_search_deferred() = 0 BEGIN
	INSERT INTO `ticket_search` (`rowid`, `organization_id`, `title`, `body`, `comments`)
	VALUES (new.`id`, 'o' || new.`organization_id`, tkt_search_text(new.`organization_id`, new.`title` || char(10) || coalesce(new.`external`, '')),
		tkt_search_text(new.`organization_id`, new.`body`), '');
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_search_update` AFTER UPDATE OF `title`, `body`, `external` ON `tickets` BEGIN
	UPDATE `ticket_search` SET `title` = tkt_search_text(new.`organization_id`, new.`title` || char(10) || coalesce(new.`external`, '')),
		`body` = tkt_search_text(new.`organization_id`, new.`body`)
	WHERE `rowid` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_search_ad` AFTER DELETE ON `tickets` BEGIN
	DELETE FROM `ticket_search` WHERE `rowid` = old.`id`;
END;
