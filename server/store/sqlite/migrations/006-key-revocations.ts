// Every key deletion leaves a numbered row, written in the deleting transaction, so that
// processes holding verified keys in memory learn exactly which ones to forget (see
// server/api-keys/revocation/). Writers are serialised on SQLite, so revisions commit in order.
export default /* sql */ `
CREATE TABLE key_revocations (
  revision INTEGER NOT NULL PRIMARY KEY,
  key_hash BLOB,
  user_id TEXT,
  at INTEGER NOT NULL
);
`;
