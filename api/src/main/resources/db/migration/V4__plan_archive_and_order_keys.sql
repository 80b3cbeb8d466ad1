-- A plan deleted after it was ordered is archived instead: hidden from the plan list, never
-- ordered again, its requests and their per-VM outcomes kept as the record of what was done.
ALTER TABLE plan ADD COLUMN archived_at TIMESTAMP;

-- At most one open request per plan unless the order asked for another: an order that is not
-- concurrent claims its plan's slot, and the unique index lets one of two racing orders through.
-- A finished request's slot is released before the next order claims it; NULLs never collide.
ALTER TABLE migration_request ADD COLUMN open_slot VARCHAR(64);
CREATE UNIQUE INDEX migration_request_open_slot ON migration_request(open_slot);

-- The Idempotency-Key of an order and the request it created: the same key answers the same
-- request, and of two racing orders with one key the primary key lets one create it.
CREATE TABLE order_key (
  idempotency_key VARCHAR(255) PRIMARY KEY,
  plan_id VARCHAR(64) NOT NULL REFERENCES plan(id),
  request_id VARCHAR(64) NOT NULL REFERENCES migration_request(id) ON DELETE CASCADE,
  created_at TIMESTAMP NOT NULL
);
