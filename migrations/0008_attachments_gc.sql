-- Content nobody refers to goes with the last attachment that did: deleting an attachment (also
-- by cascade, when its ticket is deleted) deletes its blob once no attachment of the same org
-- names it, and the blob's chunks go by cascade. No orphan chunk is left behind.
CREATE TRIGGER `attachments_blob_gc` AFTER DELETE ON `attachments`
WHEN NOT EXISTS (SELECT 1 FROM `attachments` WHERE `organization_id` = OLD.`organization_id` AND `sha256` = OLD.`sha256`)
BEGIN
  DELETE FROM `attachment_blobs` WHERE `organization_id` = OLD.`organization_id` AND `sha256` = OLD.`sha256`;
END;
