import type { RateLimits } from './auth/rate-limit.js';
import type { Sessions } from './auth/sessions.js';
import type { Clock } from './clock.js';
import type { AppConfig, Organization } from './config.js';
import { AppError } from './errors.js';
import type { Mailer } from './mail/mailer.js';
import type { Store, UserRecord } from './store/types.js';
import { toIso } from './clock.js';
import type { UsageRecorder } from './auth/usage-recorder.js';

/** Everything a route factory needs, built once by `createApp`. */
export interface Services {
  store: Store;
  mailer: Mailer;
  config: AppConfig;
  clock: Clock;
  sessions: Sessions;
  limits: RateLimits;
  usage: UsageRecorder;
  log: (message: string, error?: unknown) => void;
}

export function findOrganization(config: AppConfig, id: string): Organization {
  const organization = config.organizations.get(id);
  if (!organization) throw new AppError(404, 'unknown_organization');
  return organization;
}

export const userJson = (user: UserRecord) => ({
  id: user.id,
  email: user.email,
  emailVerified: user.emailVerifiedAt !== null,
  organizationId: user.organizationId,
  createdAt: toIso(user.createdAt),
});
