-- The search index, rebuilt (issue 12): text in scripts that do not separate words by spaces
-- (Han, Hiragana, Katakana, Hangul, Thai, Lao, Khmer, Myanmar) is now indexed as overlapping pairs
-- of characters (src/lib/search-terms.ts), so `--search 日本語` finds 日本語 anywhere in a text; and a
-- ticket's `external` origin (`github#1234`) is indexed with its title. Latin-script terms are
-- unchanged. The triggers are made anew for `external`; the rows are rebuilt for the new terms.
-- A large import writes its search rows itself, in one statement after its inserts (in its own
-- transaction): while tkt_search_deferred() is 1 (set by that import only), the insert triggers
-- do nothing (src/store/sqlite/search-index.ts). The triggers get new names, so that the schema
-- tells whether this migration ran (tkt db check, and an upgrade of a store whose history lost it).
DROP TRIGGER `tickets_search_ai`;
--> statement-breakpoint
DROP TRIGGER `tickets_search_au`;
--> statement-breakpoint
DROP TRIGGER `comments_search_ai`;
--> statement-breakpoint
DELETE FROM `ticket_search`;
--> statement-breakpoint
INSERT INTO `ticket_search` (`rowid`, `organization_id`, `title`, `body`, `comments`)
SELECT t.`id`, 'o' || t.`organization_id`, tkt_search_text(t.`organization_id`, t.`title` || char(10) || coalesce(t.`external`, '')),
	tkt_search_text(t.`organization_id`, t.`body`),
	coalesce((SELECT group_concat(char(10) || tkt_search_text(c.`organization_id`, c.`body`), '' ORDER BY c.`id`)
		FROM `comments` c WHERE c.`organization_id` = t.`organization_id` AND c.`ticket_id` = t.`id`), '')
FROM `tickets` t;
--> statement-breakpoint
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
CREATE TRIGGER `comments_search_insert` AFTER INSERT ON `comments` WHEN tkt_search_deferred() = 0 BEGIN
	UPDATE `ticket_search` SET `comments` = `comments` || char(10) || tkt_search_text(new.`organization_id`, new.`body`)
	WHERE `rowid` = new.`ticket_id`;
END;
