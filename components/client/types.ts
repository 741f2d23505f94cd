/** Wire types of the Perso HTTP API (see the README's API section). */

export interface User {
  id: string;
  email: string;
  emailVerified: boolean;
  organizationId: string;
  createdAt: string;
}

export interface SocialProvider {
  id: string;
  name: string;
}

export interface OrganizationConfig {
  organization: { id: string; name: string };
  methods: { password: boolean; passkey: boolean; social: SocialProvider[] };
}

export interface ApiKey {
  id: string;
  name: string;
  maskedKey: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  /** Requests per UTC day for the last 30 days, oldest first (30 numbers). */
  usage?: number[];
}

export interface CreatedApiKey {
  key: ApiKey;
  secret: string;
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}
