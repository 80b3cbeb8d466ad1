-- What an operator's close of a request whose workflow was lost found and recorded: kept so that a
-- second close answers the same, and as the record of why the ledger rows were finished by hand.
CREATE TABLE request_close (
  request_id VARCHAR(64) PRIMARY KEY REFERENCES migration_request(id) ON DELETE CASCADE,
  reason VARCHAR(4000),
  findings TEXT NOT NULL,
  closed_at TIMESTAMP NOT NULL
);
