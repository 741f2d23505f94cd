import type { AppConfig } from '../config.js';

/**
 * What every cookie of the server shares. In cross-site mode (SameSite=None) cookies are
 * `Partitioned` too (CHIPS): browsers that block third-party cookies still keep them for the
 * embedding site, each site in its own jar.
 */
export const cookieAttributes = (config: Pick<AppConfig, 'cookie'>) =>
  ({
    httpOnly: true,
    secure: config.cookie.secure,
    sameSite: config.cookie.sameSite,
    ...(config.cookie.sameSite === 'None' ? { partitioned: true } : {}),
  }) as const;
