// Instances that hold verified keys in memory (server/api-keys/revocation/postgres.ts): each
// row is a lease on the database's clock and the newest revocation the instance has applied.
// A deletion answers once every row with a live lease has acked its revision.
export default /* sql */ `
CREATE TABLE key_index_instances (
  id text PRIMARY KEY,
  lease_until bigint NOT NULL,
  acked bigint NOT NULL
);
`;
