import type { RateLimits } from '../auth/rate-limit.js';
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config.js';
import type { MailMessage } from '../mail/mailer.js';
import type { Store } from '../store/types.js';

/** What the account rules need: plain dependencies, no HTTP. */
export interface AccountDeps {
  store: Store;
  clock: Clock;
  config: AppConfig;
  limits: RateLimits;
  mail: { enqueue(message: MailMessage): Promise<void> };
}
