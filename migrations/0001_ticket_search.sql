-- Full-text search over tickets (title, body and comments), kept in step by triggers.
-- drizzle cannot model FTS5 virtual tables, so this migration is hand-written (drizzle-kit --custom).
-- The index is tenant-scoped: every row carries its organization as the token 'o<id>' in the
-- organization_id column, and every search must match that column, so a search never reads
-- another organization's postings.
CREATE VIRTUAL TABLE `ticket_search` USING fts5(
	`organization_id`,
	`title`,
	`body`,
	`comments`,
	tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `tickets_search_ai` AFTER INSERT ON `tickets` BEGIN
	INSERT INTO `ticket_search` (`rowid`, `organization_id`, `title`, `body`, `comments`)
	VALUES (new.`id`, 'o' || new.`organization_id`, new.`title`, new.`body`, '');
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_search_au` AFTER UPDATE OF `title`, `body` ON `tickets` BEGIN
	UPDATE `ticket_search` SET `title` = new.`title`, `body` = new.`body` WHERE `rowid` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_search_ad` AFTER DELETE ON `tickets` BEGIN
	DELETE FROM `ticket_search` WHERE `rowid` = old.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `comments_search_ai` AFTER INSERT ON `comments` BEGIN
	UPDATE `ticket_search` SET `comments` = `comments` || char(10) || new.`body` WHERE `rowid` = new.`ticket_id`;
END;
