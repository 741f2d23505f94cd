/**
 * The round trip to a social provider leaves the page: the element that sent the person off
 * remembers itself in sessionStorage, and on return reads what the server added to the URL
 * (`perso_error`, `perso_attempt`) and removes it, so a reload or a shared link shows nothing stale.
 */
const FROM_KEY = 'perso:social-from';
const PARAMS = ['perso_error', 'perso_attempt'] as const;

export interface SocialReturn {
  error?: string;
  /** The provider did not vouch for the email: the sign-up attempt now waiting for its code. */
  attempt?: string;
}

/** Remembers which element leaves, then leaves. */
export function leaveForProvider(from: string, leave: () => void): void {
  try {
    sessionStorage.setItem(FROM_KEY, from);
  } catch {
    // Storage may be off (private mode, sandboxed frame): then any element on return shows it.
  }
  leave();
}

/** The page to come back to: the top window's when readable (same origin), else this frame's. */
export function currentPage(): string {
  try {
    return window.top?.location.href ?? window.location.href;
  } catch {
    return window.location.href;
  }
}

/** Navigates the top window (the page, not a frame) to the provider's start route. */
export function navigateTop(url: string): void {
  try {
    (window.top ?? window).location.assign(url);
  } catch {
    window.location.assign(url);
  }
}

/**
 * What the return carries, for the element `tag` if it started the trip (or when none is
 * remembered); taken once, so a second element on the page does not show it again.
 */
export function takeSocialReturn(tag: string): SocialReturn {
  const url = new URL(window.location.href);
  const found = Object.fromEntries(PARAMS.map((p) => [p, url.searchParams.get(p) ?? undefined]));
  if (!found.perso_error && !found.perso_attempt) return {};
  let from: string | null = null;
  try {
    from = sessionStorage.getItem(FROM_KEY);
  } catch {
    // As above: no storage, no owner.
  }
  if (from !== null && from !== tag) return {};
  try {
    sessionStorage.removeItem(FROM_KEY);
  } catch {
    // Nothing to clean up without storage.
  }
  for (const p of PARAMS) url.searchParams.delete(p);
  history.replaceState(history.state, '', url);
  return { error: found.perso_error, attempt: found.perso_attempt };
}
