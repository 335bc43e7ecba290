import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { AppProcess, sharedWorkflowBundle, startWorker } from './support/processes';
import { lifecycleSteps, newRequest, startRequest } from './support/request-driver';
import { untilAccepted } from './support/retry';
import { skipEarlierEmails } from './support/email-outbox';
import { SmtpSink } from './support/smtp-sink';
import { TestStack, startStack } from './support/test-stack';

jest.setTimeout(600_000);

const ROOT = path.resolve(__dirname, '..');
const REQUESTS = Number(process.env.MAIL_CRASH_REQUESTS ?? 6);
const KILLS = Number(process.env.MAIL_CRASH_KILLS ?? 4);
const STATES = ['KEN', 'IDN', 'COL', 'NGA', 'JOR', 'PHL'] as const;

/**
 * The worker is killed with SIGKILL while it is sending: each kill waits until the SMTP server holds
 * a complete message whose 250 it has not yet answered. After restarts, every (event, recipient)
 * outbox row must have reached the server exactly once.
 */
describe('e-mail exactly once when the worker is killed mid-send', () => {
  // Each message's 250 comes 150-400 ms after its data: a window for the kills.
  const sink = new SmtpSink(() => 150 + Math.random() * 250);
  let stack: TestStack;
  let worker: AppProcess | undefined;
  let polling: Promise<void> = Promise.resolve();
  let bundlePath = '';

  beforeAll(async () => {
    await skipEarlierEmails();
    await sink.start();
    stack = await startStack('mail-crash', {
      worker: false,
      env: { SMTP_URL: sink.url, MAIL_FROM: 'CTAP <no-reply@ctap.test>', NOTIFY_POLL_MS: '100' },
    });
  });
  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    await stack?.close();
    await sink.close();
  });

  function spawnWorker(): AppProcess {
    const w = startWorker({ TEMPORAL_TASK_QUEUE: stack.taskQueue, WORKFLOW_BUNDLE_PATH: bundlePath });
    // Resolves once it polls, or once it is gone (killed before it got there).
    polling = w.ready.catch(() => undefined);
    return w;
  }

  it('delivers every (event, recipient) once', async () => {
    const started = Date.now();
    const tag = `E2E-MAILCRASH-${process.pid}-${Date.now() % 100000}`;
    const requests = Array.from({ length: REQUESTS }, (_, i) => newRequest(`${tag}-${i}`, STATES[i % STATES.length]));
    bundlePath = await sharedWorkflowBundle();
    worker = spawnWorker();
    for (const r of requests) await startRequest(stack.temporal, stack.taskQueue, r);
    // Information asked and answered: more e-mails, to the State and to CTED.
    await Promise.all(
      requests.map(async (r) => {
        for (const step of lifecycleSteps(stack.temporal, r).slice(0, 2))
          await untilAccepted(() => stack.temporal.connection.withDeadline(Date.now() + 5000, step.run), 300_000);
      }),
    );

    const pending = async (): Promise<number> => {
      const [r] = await stack.ds.query(
        `SELECT count(*)::int AS n FROM email_outbox WHERE request_id = ANY($1) AND status = 'pending'`,
        [requests.map((x) => x.requestId)],
      );
      return r.n;
    };
    let kills = 0;
    let killedMidSend = 0;
    // Kill while a message waits for its 250 (at least 50 ms more, so the kill lands before the
    // answer), restart, repeat while there is mail to send.
    while (kills < KILLS && (await pending()) > 0) {
      await polling;
      const until = Date.now() + 30_000;
      while (!sink.holdingFor(50) && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      if (sink.holdingFor(50)) killedMidSend++;
      else if ((await pending()) === 0) break;
      // The kill lands before the held 250: answers wait until the worker is gone and the sink
      // has seen its connections close.
      sink.pause();
      worker.child.kill('SIGKILL');
      await worker.exited;
      await new Promise((r) => setTimeout(r, 100));
      sink.resume();
      kills++;
      await new Promise((r) => setTimeout(r, 300));
      worker = spawnWorker();
    }
    await polling;
    const drainUntil = Date.now() + 120_000;
    while ((await pending()) > 0 && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 200));

    const rows: { message_id: string; status: string }[] = await stack.ds.query(
      `SELECT message_id, status FROM email_outbox WHERE request_id = ANY($1) AND status <> 'skipped'`,
      [requests.map((x) => x.requestId)],
    );
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    const refs = new Set(requests.map((r) => r.reference));
    const received = sink.messages.filter((m) => refs.has(m.headers['x-ctap-reference']));
    const perId = new Map<string, number>();
    for (const m of received) perId.set(m.messageId, (perId.get(m.messageId) ?? 0) + 1);
    const duplicates = [...perId.values()].filter((n) => n > 1).length;
    expect(duplicates).toBe(0);
    expect([...perId.keys()].sort()).toEqual(rows.map((r) => r.message_id).sort());

    const figures = {
      requests: REQUESTS,
      outboxRows: rows.length,
      messagesReceived: received.length,
      duplicates,
      kills,
      killedMidSend,
      sendsCutBeforeThe250: sink.aborted,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    mkdirSync(path.join(ROOT, '.data'), { recursive: true });
    writeFileSync(path.join(ROOT, '.data', 'mail-crash-results.json'), JSON.stringify(figures, null, 2));
    console.log(`mail kill-during-send test: ${JSON.stringify(figures)}`);
    expect(killedMidSend).toBe(KILLS);
    expect(sink.aborted).toBeGreaterThanOrEqual(KILLS);
  });
});
