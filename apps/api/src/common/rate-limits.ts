/**
 * A per-minute request limit from the environment (a positive integer), else the fallback.
 * Read on each request, so a test or an operator can change it without a rebuild.
 */
export function envLimit(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = Number(raw);
  return raw !== undefined && raw !== '' && Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Token requests per minute per client IP: low, to slow password guessing (AUTH_RATE_LIMIT_PER_MINUTE, default 10). */
export const authTokenLimit = () => envLimit('AUTH_RATE_LIMIT_PER_MINUTE', 10);
