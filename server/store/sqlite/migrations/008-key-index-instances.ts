// Processes sharing the file that hold verified keys in memory: each renews a lease and acks
// the newest revocation it has applied, and a deletion answers only once every live lease has
// acked it (see server/api-keys/revocation/sqlite.ts). Times are epoch milliseconds.
export default /* sql */ `
CREATE TABLE key_index_instances (
  id TEXT PRIMARY KEY,
  lease_until INTEGER NOT NULL,
  acked INTEGER NOT NULL
);
`;
