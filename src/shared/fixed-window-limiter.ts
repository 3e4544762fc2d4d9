/** The longest rate-limit window a key or root key may have: a day. */
export const RATE_LIMIT_MAX_WINDOW_SECONDS = 86_400;

/** A rate limit of a key or a root key: `limit` uses per window of `windowSeconds`. */
export interface RateLimitSetting {
  readonly limit: number;
  readonly windowSeconds: number;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Epoch ms at which the current window ends. */
  readonly resetAtMs: number;
  /** The same instant as ISO text, formatted once per window. */
  readonly resetAt: string;
}

interface Window {
  start: number;
  count: number;
  resetAt: string;
}

/**
 * In-process fixed windows, one per id (memory grows with the number of rate-limited
 * keys, which is bounded by the key directory itself). A window starts at the first hit after the
 * previous one ended. A refused hit does not count against the next window.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, Window>();

  hit(id: string, setting: RateLimitSetting, nowMs: number): RateLimitDecision {
    const windowMs = setting.windowSeconds * 1000;
    let window = this.windows.get(id);
    if (!window || nowMs >= window.start + windowMs) {
      window = { start: nowMs, count: 0, resetAt: new Date(nowMs + windowMs).toISOString() };
      this.windows.set(id, window);
    }
    const allowed = window.count < setting.limit;
    if (allowed) window.count++;
    return {
      allowed,
      limit: setting.limit,
      remaining: setting.limit - window.count,
      resetAtMs: window.start + windowMs,
      resetAt: window.resetAt,
    };
  }
}
