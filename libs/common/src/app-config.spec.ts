import { ConfigError, loadConfig } from './app-config';

describe('configuration', () => {
  it('has working defaults for local development', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/ctap');
    expect(c.temporal).toMatchObject({
      address: '127.0.0.1:7233',
      namespace: 'default',
      taskQueue: 'ctap-requests',
      tls: false,
      stickyTimeoutMs: 1500,
    });
    expect(c.deadlines.owner.cted_review).toEqual({
      dueDays: 30,
      reminderEveryDays: 7,
      escalateDays: 45,
      maxReminders: 3,
    });
    expect(c.mail).toMatchObject({ smtpUrl: null, from: 'CTAP <no-reply@ctap.local>' });
    expect(c.appBaseUrl).toBe('http://127.0.0.1:3000');
  });

  it('accepts production mail settings', () => {
    const c = loadConfig({
      SMTP_URL: 'smtps://ctap:pw@smtp.example.org:465',
      MAIL_FROM: 'ctap@un.org',
      APP_BASE_URL: 'https://ctap.example.org/',
    });
    expect(c.mail.smtpUrl).toBe('smtps://ctap:pw@smtp.example.org:465');
    expect(c.appBaseUrl).toBe('https://ctap.example.org');
  });

  it.each([
    [{ API_PORT: 'eighty' }, 'API_PORT'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL'],
    [{ TEMPORAL_ADDRESS: 'no-port' }, 'TEMPORAL_ADDRESS'],
    [{ TEMPORAL_TLS: 'maybe' }, 'TEMPORAL_TLS'],
    [{ TEMPORAL_TLS_CERT_PATH: '/a.crt' }, 'TEMPORAL_TLS_CERT_PATH'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT'],
    [{ CTAP_DEADLINES: '{nope' }, 'CTAP_DEADLINES'],
    [{ SMTP_URL: 'http://mail:25' }, 'SMTP_URL'],
    [{ SMTP_URL: 'not a url' }, 'SMTP_URL'],
    [{ MAIL_FROM: 'nobody' }, 'MAIL_FROM'],
    [{ APP_BASE_URL: 'ftp://x' }, 'APP_BASE_URL'],
    [{ WEBHOOK_MAX_ATTEMPTS: '0' }, 'WEBHOOK_MAX_ATTEMPTS'],
    [{ CTAP_DEADLINES: '{"information":{"maxReminders":-1}}' }, 'CTAP_DEADLINES'],
    [{ CTAP_DEADLINES: '{"urgent":{"owner":{"cted_review":{"dueDays":0}}}}' }, 'CTAP_DEADLINES'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(variable));
  });

  it('takes the sticky queue timeout in milliseconds, within 100 ms to 60 s', () => {
    expect(loadConfig({ TEMPORAL_STICKY_TIMEOUT_MS: '10000' }).temporal.stickyTimeoutMs).toBe(10_000);
    for (const bad of ['50', '60001', '1.5s'])
      expect(() => loadConfig({ TEMPORAL_STICKY_TIMEOUT_MS: bad })).toThrow(/TEMPORAL_STICKY_TIMEOUT_MS/);
  });

  it('takes the refresh grace period in whole seconds, 0 (strict) to 60, 10 by default', () => {
    expect(loadConfig({}).session.refreshGraceSeconds).toBe(10);
    expect(loadConfig({ SESSION_REFRESH_GRACE_SECONDS: '0' }).session.refreshGraceSeconds).toBe(0);
    for (const bad of ['-1', '61', '5s'])
      expect(() => loadConfig({ SESSION_REFRESH_GRACE_SECONDS: bad })).toThrow(/SESSION_REFRESH_GRACE_SECONDS/);
  });

  it('reports every bad variable at once', () => {
    try {
      loadConfig({ API_PORT: '-1', LOG_LEVEL: 'loud' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect((err as ConfigError).problems.map((p) => p.split(' ')[0])).toEqual(['API_PORT', 'LOG_LEVEL']);
    }
  });

  it('turns TLS on for an API key (Temporal Cloud) and merges deadline overrides', () => {
    const c = loadConfig({
      TEMPORAL_API_KEY: 'k',
      CTAP_DEADLINES: '{"owner":{"cted_review":{"dueDays":20,"reminderEveryDays":5,"escalateDays":30}}}',
    });
    expect(c.temporal).toMatchObject({ tls: true, apiKey: 'k' });
    expect(c.deadlines.owner.cted_review?.dueDays).toBe(20);
    expect(c.deadlines.owner.unodc_planning?.dueDays).toBe(60);
  });

  it('merges CTAP_DEADLINES field by field, its urgent block over the default urgent row', () => {
    const c = loadConfig({
      CTAP_DEADLINES: '{"owner":{"cted_review":{"maxReminders":2}},"urgent":{"owner":{"cted_review":{"dueDays":5}}}}',
    });
    expect(c.deadlines.owner.cted_review).toEqual({
      dueDays: 30,
      reminderEveryDays: 7,
      escalateDays: 45,
      maxReminders: 2,
    });
    expect(c.deadlines.urgent?.owner?.cted_review).toEqual({ dueDays: 5, reminderEveryDays: 2, escalateDays: 15 });
  });
});
