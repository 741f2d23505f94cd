import type { AccountDeps } from './accounts/deps.js';
import type { RevocationWatch } from './api-keys/revocation/watch.js';
import type { OAuthClients } from './auth/oauth-client.js';
import type { RateLimits } from './auth/rate-limit.js';
import type { Sessions } from './auth/sessions.js';
import type { UsageRecorder } from './auth/usage-recorder.js';
import type { Clock } from './clock.js';
import { toIso } from './clock.js';
import type { AppConfig } from './config.js';
import type { SecurityHeaders } from './http/security-headers.js';
import type { MailQueue } from './mail/queue.js';
import type { Store, UserRecord } from './store/types.js';

/** Everything a route factory needs, built once by `createApp`. */
export interface Services {
  store: Store;
  config: AppConfig;
  clock: Clock;
  sessions: Sessions;
  limits: RateLimits;
  usage: UsageRecorder;
  /** The verified-key index of `/v1`, kept exact across processes; absent when the store offers no watch. */
  verifiedKeys: RevocationWatch | undefined;
  mail: MailQueue;
  /** The account rules' dependencies. */
  accounts: AccountDeps;
  /** openid-client for the configured social providers. */
  oauth: OAuthClients;
  /** The security headers of every response, and prebuilt answers for the hottest routes. */
  security: SecurityHeaders;
  log: (message: string, error?: unknown) => void;
}

export const userJson = (user: UserRecord) => ({
  id: user.id,
  email: user.email,
  emailVerified: user.emailVerifiedAt !== null,
  organizationId: user.organizationId,
  createdAt: toIso(user.createdAt),
});
