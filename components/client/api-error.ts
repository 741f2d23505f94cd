/** An error answered by the server (its error shape) or a network failure (`network_error`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    /** Seconds to wait before retrying, from `Retry-After` on a 429 (or a 503 `busy`). */
    readonly retryAfter?: number,
    /** Whatever else the error carried besides `code`, `message` and `fields`, e.g. `attempt`. */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }

  /** The open sign-up attempt a 403 `email_not_verified` names, to verify it with a code. */
  get attempt(): string | undefined {
    return typeof this.extra.attempt === 'string' ? this.extra.attempt : undefined;
  }
}
