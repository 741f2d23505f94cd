import type { LitElement } from 'lit';
import type { PersoErrorDetail } from '../base/events.js';
import { LazyModule } from '../base/lazy-module.js';
import type { Localized } from '../base/localize.js';
import type { PersoClient } from '../client/api-client.js';
import type { CodeStep } from './code-step.js';

/**
 * An auth card's code step (code-step.ts, a chunk), loaded when the card is about to need it:
 * when a sign-up is sent (its answer leads there), when a sign-in meets an unverified email, or
 * when a provider's return names an attempt waiting for its code.
 */
export function lazyCodeStep(
  host: LitElement & Localized,
  getClient: () => PersoClient,
  onError: (detail: PersoErrorDetail) => void,
): LazyModule<CodeStep> {
  return new LazyModule(host, () => import('./code-step.js').then(({ CodeStep }) => new CodeStep(host, getClient, onError)));
}
