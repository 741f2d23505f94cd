// SQLite's 003 also dropped its first scheme's per-user tokens; PostgreSQL never had them.
export default /* sql */ `
CREATE TABLE signup_attempts (
  id text PRIMARY KEY,
  email text NOT NULL,
  organization_id text NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('new', 'existing')),
  password_hash text,
  locale text NOT NULL,
  redirect text,
  binding_hash text NOT NULL,
  code_failures integer NOT NULL DEFAULT 0,
  status text NOT NULL CHECK (status IN ('open', 'completed', 'closed')),
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX signup_attempts_email ON signup_attempts (email, status, created_at DESC);
CREATE INDEX signup_attempts_binding ON signup_attempts (binding_hash, created_at DESC);
CREATE INDEX signup_attempts_expiry ON signup_attempts (expires_at);

CREATE TABLE verifications (
  kind text NOT NULL,
  secret_hash text NOT NULL,
  subject text NOT NULL,
  expires_at bigint NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (kind, secret_hash)
);
CREATE INDEX verifications_subject ON verifications (subject);
CREATE INDEX verifications_expiry ON verifications (expires_at);

CREATE TABLE mail_queue (
  id text PRIMARY KEY,
  recipient text NOT NULL,
  subject text NOT NULL,
  body_text text,
  body_html text,
  links text[],
  status text NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
  tries integer NOT NULL DEFAULT 0,
  next_try_at bigint NOT NULL,
  last_error text,
  created_at bigint NOT NULL
);
CREATE INDEX mail_queue_due ON mail_queue (status, next_try_at);
CREATE INDEX mail_queue_recipient ON mail_queue (recipient, created_at);
`;
