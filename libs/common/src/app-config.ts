import { DEFAULT_DEADLINES, DeadlineConfig, DeadlineOverrides, mergeDeadlines } from '@app/domain';

/**
 * Configuration read once from the environment and validated at boot, so a bad value stops the
 * process with a message naming the variable instead of failing later in a request.
 */
export interface AppConfig {
  nodeEnv: string;
  databaseUrl: string;
  apiPort: number;
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    tls: boolean;
    tlsCertPath?: string;
    tlsKeyPath?: string;
    apiKey?: string;
    /**
     * How long (ms) a workflow task waits for the worker that has the workflow cached before any
     * worker may take it (replaying its history): what a lost worker costs each of its workflows.
     */
    stickyTimeoutMs: number;
  };
  jwt: { secret: string; ttlSeconds: number };
  /** Browser sessions: short access tokens, a rotating refresh cookie, an idle timeout and an absolute lifetime. */
  session: {
    accessTtlSeconds: number;
    idleMinutes: number;
    maxHours: number;
    /** Seconds during which the refresh secret just replaced is still honoured (0: never). */
    refreshGraceSeconds: number;
  };
  /**
   * Deadline settings (DEFAULT_DEADLINES, overridable field by field by CTAP_DEADLINES, its `urgent`
   * block included); each request stores its own row of them (`deadlinesFor`, by urgency).
   */
  deadlines: DeadlineConfig;
  /** E-mail: sent by the worker from the outbox; no SMTP_URL means e-mails wait in the outbox. */
  mail: { smtpUrl: string | null; from: string; maxAttempts: number; retryBaseMs: number };
  /** Link base in e-mails: the web application's address. */
  appBaseUrl: string;
  webhooks: { maxAttempts: number; retryBaseMs: number; timeoutMs: number; allowPrivateTargets: boolean };
  /** How often the worker's outbox dispatcher looks for work when idle. */
  notifyPollMs: number;
  logFormat: 'json' | 'text';
  logLevel: 'error' | 'warn' | 'log' | 'debug' | 'verbose';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const DEV_JWT_SECRET = 'ctap-development-secret-change-me-in-production';

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const str = (name: string, fallback: string) => {
    const v = env[name];
    return v === undefined || v === '' ? fallback : v;
  };
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string) => {
    const raw = (env[name] ?? '').toLowerCase();
    if (!['', 'true', 'false', '1', '0'].includes(raw))
      problems.push(`${name} must be true or false (got "${env[name]}")`);
    return raw === 'true' || raw === '1';
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const v = str(name, fallback);
    if (!allowed.includes(v as T)) problems.push(`${name} must be one of ${allowed.join(', ')} (got "${v}")`);
    return v as T;
  };

  const nodeEnv = str('NODE_ENV', 'development');
  const databaseUrl = str('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/ctap');
  try {
    const u = new URL(databaseUrl);
    if (!['postgres:', 'postgresql:'].includes(u.protocol)) problems.push('DATABASE_URL must be a postgres:// URL');
    if (u.pathname.length <= 1) problems.push('DATABASE_URL must name a database');
  } catch {
    problems.push('DATABASE_URL is not a valid URL');
  }
  const address = str('TEMPORAL_ADDRESS', '127.0.0.1:7233');
  if (!/^[^\s:]+:\d{1,5}$/.test(address)) problems.push(`TEMPORAL_ADDRESS must be host:port (got "${address}")`);
  const apiKey = env.TEMPORAL_API_KEY || undefined;
  const tls = bool('TEMPORAL_TLS') || Boolean(apiKey);
  const tlsCertPath = env.TEMPORAL_TLS_CERT_PATH || undefined;
  const tlsKeyPath = env.TEMPORAL_TLS_KEY_PATH || undefined;
  if (Boolean(tlsCertPath) !== Boolean(tlsKeyPath))
    problems.push('TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be set together');
  const secret = str('JWT_SECRET', nodeEnv === 'production' ? '' : DEV_JWT_SECRET);
  if (secret.length < 32) problems.push('JWT_SECRET must be set to at least 32 characters (required in production)');

  let deadlines: DeadlineConfig = DEFAULT_DEADLINES;
  if (env.CTAP_DEADLINES) {
    try {
      // Field by field over the defaults, the `urgent` block over the default urgent row.
      deadlines = mergeDeadlines(DEFAULT_DEADLINES, JSON.parse(env.CTAP_DEADLINES) as DeadlineOverrides);
      const numbers = JSON.stringify(deadlines).match(/-?\d+(\.\d+)?/g) ?? [];
      if (numbers.some((n) => Number(n) <= 0)) problems.push('CTAP_DEADLINES values must be positive numbers of days');
    } catch {
      problems.push(
        'CTAP_DEADLINES must be JSON, e.g. {"owner":{"cted_review":{"dueDays":20,"reminderEveryDays":5,"escalateDays":30}}}',
      );
    }
  }

  const url = (name: string, fallback: string | null, protocols: string[]): string | null => {
    const v = env[name] || fallback;
    if (!v) return null;
    try {
      if (!protocols.includes(new URL(v).protocol)) problems.push(`${name} must be a ${protocols.join(' or ')} URL`);
    } catch {
      problems.push(`${name} is not a valid URL (got "${v}")`);
    }
    return v;
  };
  const smtpUrl = url('SMTP_URL', null, ['smtp:', 'smtps:']);
  const appBaseUrl = url('APP_BASE_URL', 'http://127.0.0.1:3000', ['http:', 'https:'])!.replace(/\/+$/, '');
  const from = str('MAIL_FROM', 'CTAP <no-reply@ctap.local>');
  if (!/(^[^@\s<>]+@[^@\s<>]+$)|(<[^@\s<>]+@[^@\s<>]+>$)/.test(from))
    problems.push(`MAIL_FROM must be an e-mail address (got "${from}")`);

  const config: AppConfig = {
    nodeEnv,
    databaseUrl,
    apiPort: int('API_PORT', 3000, 0, 65535),
    temporal: {
      address,
      namespace: str('TEMPORAL_NAMESPACE', 'default'),
      taskQueue: str('TEMPORAL_TASK_QUEUE', 'ctap-requests'),
      tls,
      tlsCertPath,
      tlsKeyPath,
      apiKey,
      // The SDK's 10 s default made a lost worker cost 10 s per decision on its workflows (issue 11);
      // a busy worker missing this only costs a replay elsewhere.
      stickyTimeoutMs: int('TEMPORAL_STICKY_TIMEOUT_MS', 1500, 100, 60_000),
    },
    jwt: { secret, ttlSeconds: int('JWT_TTL_SECONDS', 3600, 60, 7 * 24 * 3600) },
    session: {
      accessTtlSeconds: int('SESSION_ACCESS_TTL_SECONDS', 300, 10, 3600),
      idleMinutes: int('SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
      maxHours: int('SESSION_MAX_HOURS', 12, 1, 24 * 30),
      // A reload that aborts a refresh in flight leaves the browser with the secret just replaced;
      // without a grace period its next refresh looked like a stolen copy and signed the user out.
      refreshGraceSeconds: int('SESSION_REFRESH_GRACE_SECONDS', 10, 0, 60),
    },
    deadlines,
    mail: {
      smtpUrl,
      from,
      maxAttempts: int('MAIL_MAX_ATTEMPTS', 10, 1, 100),
      retryBaseMs: int('MAIL_RETRY_BASE_MS', 5000, 10, 3_600_000),
    },
    appBaseUrl,
    webhooks: {
      maxAttempts: int('WEBHOOK_MAX_ATTEMPTS', 8, 1, 100),
      retryBaseMs: int('WEBHOOK_RETRY_BASE_MS', 5000, 10, 3_600_000),
      timeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
      // Off by default: webhooks reach public addresses only (see network-targets.ts).
      allowPrivateTargets: bool('WEBHOOK_ALLOW_PRIVATE_TARGETS'),
    },
    notifyPollMs: int('NOTIFY_POLL_MS', 1000, 50, 60_000),
    logFormat: oneOf('LOG_FORMAT', ['json', 'text'] as const, 'json'),
    logLevel: oneOf('LOG_LEVEL', ['error', 'warn', 'log', 'debug', 'verbose'] as const, 'log'),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
