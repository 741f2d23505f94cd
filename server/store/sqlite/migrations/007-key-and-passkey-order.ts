// Keys and passkeys made in the same millisecond keep the order they were made in: a number per
// user, one more than that user's highest, instead of the rowid (which VACUUM may renumber).
// Existing rows take their rowid once, which is the order they were inserted in.
export default /* sql */ `
ALTER TABLE api_keys ADD COLUMN seq INTEGER;
UPDATE api_keys SET seq = rowid;
ALTER TABLE passkeys ADD COLUMN seq INTEGER;
UPDATE passkeys SET seq = rowid;
`;
