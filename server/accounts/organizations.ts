import { type AppConfig, DEFAULT_ORGANIZATION, type Organization } from '../config.js';
import { AccountError } from './errors.js';

export function findOrganization(config: AppConfig, id: string | undefined): Organization {
  const organization = config.organizations.get(id ?? DEFAULT_ORGANIZATION);
  if (!organization) throw new AccountError('unknown_organization');
  return organization;
}

/** Sign-up and sign-in answer only the organization's own origins (a request without Origin is not a browser's). */
export function assertOriginAllowed(organization: Organization, origin: string | undefined): void {
  if (origin !== undefined && !organization.allowedOrigins.includes(origin)) throw new AccountError('origin_not_allowed');
}

/** A redirect after verification is honoured only on one of the organization's origins. */
export function allowedRedirect(organization: Organization | undefined, redirect: string | null): string | null {
  if (!redirect || !organization) return null;
  try {
    return organization.allowedOrigins.includes(new URL(redirect).origin) ? redirect : null;
  } catch {
    return null;
  }
}
