// Sign-up attempts replace per-user verification tokens: an account row exists only once an
// email is verified, so accounts still waiting under the old scheme are dropped with their
// links (their owners sign up again).
export default /* sql */ `
DROP TABLE verification_tokens;
DELETE FROM users WHERE email_verified_at IS NULL;

CREATE TABLE signup_attempts (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  purpose TEXT NOT NULL CHECK (purpose IN ('new', 'existing')),
  password_hash TEXT,
  locale TEXT NOT NULL,
  redirect TEXT,
  binding_hash TEXT NOT NULL,
  code_failures INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('open', 'completed', 'closed')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX signup_attempts_email ON signup_attempts(email, status, created_at DESC);
CREATE INDEX signup_attempts_binding ON signup_attempts(binding_hash, created_at DESC);
CREATE INDEX signup_attempts_expiry ON signup_attempts(expires_at);

CREATE TABLE verifications (
  kind TEXT NOT NULL,
  secret_hash TEXT NOT NULL,
  subject TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (kind, secret_hash)
) WITHOUT ROWID;
CREATE INDEX verifications_subject ON verifications(subject);
CREATE INDEX verifications_expiry ON verifications(expires_at);

CREATE TABLE mail_queue (
  id TEXT PRIMARY KEY,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body_text TEXT,
  body_html TEXT,
  links TEXT,
  status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
  tries INTEGER NOT NULL DEFAULT 0,
  next_try_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX mail_queue_due ON mail_queue(status, next_try_at);
CREATE INDEX mail_queue_recipient ON mail_queue(recipient, created_at);
`;
