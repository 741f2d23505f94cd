/**
 * The reference server as a library (`@perso/kit/server`): build the app around your own
 * store and mailer, or protect your own Hono routes with `requireApiKey()`.
 * `server/main.ts` is the runnable server; it reads the environment, this module never does.
 */
export { createApp, type AppDeps, type AppType } from './app.js';
export { requireApiKey, type ApiKeyVariables, type RequireApiKeyOptions } from './auth/require-api-key.js';
export { createRateLimits, MemoryRateLimiter, type RateDecision, type RateLimiter, type RateLimits } from './auth/rate-limit.js';
export { MailQueue } from './mail/queue.js';
export { clientAddress, parseTrustProxy, rateLimitKeyForAddress, type TrustProxy } from './http/client-address.js';
export { UsageRecorder } from './auth/usage-recorder.js';
export { loadConfig, ConfigError, type AppConfig, type Organization, type ServerConfig } from './config.js';
export { AppError, errorMessages, type ErrorCode, type ErrorBody } from './errors.js';
export { systemClock, type Clock } from './clock.js';
export { openSqliteStore, type SqliteStore } from './store/sqlite/store.js';
// Loads the optional `postgres` package only when called.
export { openPostgresStore, type PostgresStore, type PostgresStoreOptions } from './store/postgres/store.js';
export { createPostgresRateLimits, PostgresRateLimiter } from './auth/postgres-rate-limit.js';
export { KeyIndex } from './api-keys/key-index.js';
export { RevocationWatch } from './api-keys/revocation/watch.js';
export { SqliteRevocationWatch } from './api-keys/revocation/sqlite.js';
export { PostgresRevocationWatch, startPostgresRevocationWatch, type PostgresWatchOptions } from './api-keys/revocation/postgres.js';
export type { Store, ApiKeyOwner } from './store/types.js';
export { DevOutbox, type OutboxMessage } from './mail/dev-outbox.js';
export { createSmtpMailer } from './mail/smtp.js';
export type { Mailer, MailMessage } from './mail/mailer.js';
