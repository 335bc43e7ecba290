import type { ChildProcess } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { EventStore } from '@app/persistence';
import { sharedWorkflowBundle, startWorker } from './support/processes';
import { requestWorkflowId } from '@app/contracts';
import { lifecycleSteps, newRequest, startRequest } from './support/request-driver';
import { seededRandom } from './support/random';
import { untilAccepted } from './support/retry';
import { TestStack, startStack } from './support/test-stack';

jest.setTimeout(600_000);

const ROOT = path.resolve(__dirname, '..');
const REQUESTS = Number(process.env.CRASH_REQUESTS ?? 6);
const STATES = [
  ['KEN', 'Africa'],
  ['IDN', 'Asia'],
  ['COL', 'Americas'],
  ['NGA', 'Africa'],
  ['JOR', 'Asia'],
  ['PHL', 'Asia'],
  ['MAR', 'Africa'],
  ['PER', 'Americas'],
] as const;

/**
 * Several requests move through their whole lifecycle while the worker process is killed with
 * SIGKILL at random moments and restarted. Every request must still close, with exactly one event
 * per decision and an intact hash chain.
 */
describe('worker crashes during the lifecycle', () => {
  let stack: TestStack;
  let worker: ChildProcess | undefined;
  beforeAll(async () => {
    stack = await startStack('crash', { worker: false });
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await stack?.close();
  });

  let bundlePath = '';
  let polling: Promise<void> = Promise.resolve();

  /** Starts the worker process; `polling` resolves once it logs that it polls the task queue. */
  function spawnWorker(): ChildProcess {
    const w = startWorker({ TEMPORAL_TASK_QUEUE: stack.taskQueue, WORKFLOW_BUNDLE_PATH: bundlePath });
    // Resolves once it polls, or once it is gone (killed before it got there).
    polling = w.ready.catch(() => undefined);
    return w.child;
  }

  it('finishes every request with exactly one event per decision', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    // A failing run can be repeated with CRASH_SEED.
    const random = seededRandom(seed);
    const requests = Array.from({ length: REQUESTS }, (_, i) => {
      const [iso3, region] = STATES[i % STATES.length];
      return newRequest(`E2E-CRASH-${seed}-${i}`, iso3, region);
    });
    bundlePath = await sharedWorkflowBundle();
    worker = spawnWorker();
    for (const r of requests) await startRequest(stack.temporal, stack.taskQueue, r);

    let done = false;
    let kills = 0;
    let decisions = 0;
    const chaos = (async () => {
      while (!done) {
        // Kill at a random moment once the worker is really working, so each life makes some
        // progress: it polls and has had a decision accepted (on a loaded machine a new worker can
        // take longer to load its bundle and replay than the random delay, and killing it before it
        // does anything only slows the test down).
        const before = decisions;
        await polling;
        while (!done && decisions === before) await new Promise((r) => setTimeout(r, 50));
        await new Promise((r) => setTimeout(r, 300 + random() * 2200));
        if (done) break;
        worker?.kill('SIGKILL');
        kills++;
        await new Promise((r) => setTimeout(r, 200 + random() * 1500));
        worker = spawnWorker();
      }
    })();

    const started = Date.now();
    let attempts = 0;
    try {
      await Promise.all(
        requests.map(async (r) => {
          for (const step of lifecycleSteps(stack.temporal, r)) {
            // People do not decide all at once: spread the decisions so crashes land between and during them.
            await new Promise((res) => setTimeout(res, random() * 1500));
            const outcome = await untilAccepted(
              () => stack.temporal.connection.withDeadline(Date.now() + 5000, step.run),
              420_000,
            );
            attempts += outcome.attempts;
            decisions++;
          }
        }),
      );
      for (const r of requests) {
        const result = await stack.temporal.workflow.getHandle(requestWorkflowId(r.reference)).result();
        expect(result.outcome).toBe('completed');
      }
    } catch (err) {
      // Say why a workflow task failed (the workers' own logs are gone with them).
      for (const r of requests) {
        const history = await stack.temporal.workflow.getHandle(requestWorkflowId(r.reference)).fetchHistory();
        const failures = (history.events ?? [])
          .filter((e) => e.workflowTaskFailedEventAttributes)
          .map((e) => e.workflowTaskFailedEventAttributes!.failure);
        if (failures.length)
          console.error(
            `${r.reference}: ${failures.length} workflow task failures; the last: ${failures.at(-1)?.message}\n${failures.at(-1)?.stackTrace ?? ''}`,
          );
      }
      throw err;
    } finally {
      done = true;
      await chaos;
    }

    const store = new EventStore(stack.ds);
    let events = 0;
    for (const r of requests) {
      const rows: { decision_id: string | null; stream: string; seq: number }[] = await stack.ds.query(
        'SELECT decision_id, stream, seq FROM request_events WHERE request_id = $1 ORDER BY stream, seq',
        [r.requestId],
      );
      events += rows.length;
      for (const step of lifecycleSteps(stack.temporal, r)) {
        expect({
          decision: step.decisionId,
          count: rows.filter((e) => e.decision_id === step.decisionId).length,
        }).toEqual({ decision: step.decisionId, count: 1 });
      }
      const verdicts = await store.verify(r.requestId);
      expect(Object.values(verdicts).map((v) => v.ok)).toEqual([true, true]);
    }
    const figures = {
      seed,
      requests: REQUESTS,
      decisions,
      attempts,
      kills,
      events,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    mkdirSync(path.join(ROOT, '.data'), { recursive: true });
    writeFileSync(path.join(ROOT, '.data', 'crash-test-results.json'), JSON.stringify(figures, null, 2));
    console.log(`worker crash test: ${JSON.stringify(figures)}`);
    expect(kills).toBeGreaterThanOrEqual(3);
  });
});
