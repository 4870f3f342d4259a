-- The search index, rebuilt with org-qualified terms (issue 11, item 2). The old index shared its
-- terms between organizations, so a prefix search in one org walked every org's matching postings
-- and took longer the more another org held. Now the text of org 7 is indexed as `o7x<term>` for
-- each term (tkt_search_text(), registered by tkt on every connection: src/store/sqlite/search-index.ts),
-- a search looks up only `o7x…` terms, and a term or prefix is a range that holds only its own org.
-- The terms are already folded and split, so the ascii tokenizer only splits them at the spaces.
-- organization_id stays as an unindexed column for `tkt db check`.
DROP TRIGGER `tickets_search_ai`;
--> statement-breakpoint
DROP TRIGGER `tickets_search_au`;
--> statement-breakpoint
DROP TRIGGER `tickets_search_ad`;
--> statement-breakpoint
DROP TRIGGER `comments_search_ai`;
--> statement-breakpoint
DROP TABLE `ticket_search`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `ticket_search` USING fts5(
	`organization_id` UNINDEXED,
	`title`,
	`body`,
	`comments`,
	tokenize = 'ascii'
);
--> statement-breakpoint
INSERT INTO `ticket_search` (`rowid`, `organization_id`, `title`, `body`, `comments`)
SELECT t.`id`, 'o' || t.`organization_id`, tkt_search_text(t.`organization_id`, t.`title`),
	tkt_search_text(t.`organization_id`, t.`body`),
	coalesce((SELECT group_concat(char(10) || tkt_search_text(c.`organization_id`, c.`body`), '' ORDER BY c.`id`)
		FROM `comments` c WHERE c.`organization_id` = t.`organization_id` AND c.`ticket_id` = t.`id`), '')
FROM `tickets` t;
--> statement-breakpoint
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
--> statement-breakpoint
CREATE TRIGGER `comments_search_ai` AFTER INSERT ON `comments` BEGIN
	UPDATE `ticket_search` SET `comments` = `comments` || char(10) || tkt_search_text(new.`organization_id`, new.`body`)
	WHERE `rowid` = new.`ticket_id`;
END;
