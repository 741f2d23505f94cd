// Revoked keys, numbered, so that every process on this file can learn what was revoked since
// the revision it last saw. Writers are serialised by SQLite, so the next revision is simply
// one more than the newest row, which is why the newest row is never deleted.
export default /* sql */ `
CREATE TABLE key_revocations (
  revision INTEGER PRIMARY KEY,
  key_hash BLOB,
  user_id TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX key_revocations_at ON key_revocations(at);
`;
