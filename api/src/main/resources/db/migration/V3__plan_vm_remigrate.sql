-- A plan's VM may be ordered again after it was migrated (a return wave, a second hop).
ALTER TABLE plan_vm ADD COLUMN remigrate BOOLEAN NOT NULL DEFAULT FALSE;
