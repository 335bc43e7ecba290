import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import { PersistEventsInput, RequestActivities, STORAGE_REFUSED, SharedActivityClaim } from '@app/contracts';
import { WORKFLOWS_PATH, registerSearchAttributes, webpackConfigHook } from '@app/temporal';
import { temporalBinary } from '../../test/support/temporal-binaries';

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalBinary('test-server') } },
  });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Bundle once per test file: the same webpack hook as the worker. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, webpackConfigHook, logger: quietLogger });
  return bundle;
}

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: console.error };

/**
 * Records what the workflows persist, applying the same idempotency rule as the real store
 * (a (stream, seq) already written is skipped), so tests can check contiguity and exactly-once.
 */
export class RecordingStore implements RequestActivities {
  readonly streams = new Map<string, PersistEventsInput['events']>();
  readonly snapshots = new Map<string, NonNullable<PersistEventsInput['snapshot']>>();
  calls = 0;
  failNext = 0;
  /** Text the simulated database refuses as a check violation (like a Postgres CHECK constraint). */
  refuseText?: string;

  async persistEvents(input: PersistEventsInput): Promise<void> {
    this.calls++;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('simulated database outage');
    }
    if (this.refuseText && JSON.stringify(input.events).includes(this.refuseText)) {
      // The same contract as the worker's activity: final only for a decision not yet applied.
      if (!input.refusalIsFinal) throw new Error('simulated check violation (retryable here)');
      throw ApplicationFailure.create({
        type: STORAGE_REFUSED,
        message: 'simulated check violation',
        nonRetryable: true,
        details: [{ sqlState: '23514' }],
      });
    }
    const list = this.streams.get(input.stream) ?? [];
    if (input.firstSeq > list.length + 1)
      throw new Error(`gap in ${input.stream}: have ${list.length}, got ${input.firstSeq}`);
    input.events.forEach((e, i) => {
      const index = input.firstSeq - 1 + i;
      if (index >= list.length) list.push(e);
    });
    this.streams.set(input.stream, list);
    if (input.snapshot) this.snapshots.set(input.requestId, input.snapshot);
  }

  /** Shared activity claims, as the shared_activity_claims table keeps them (never forgotten). */
  readonly claims = new Map<string, string>();

  async claimSharedActivity(c: SharedActivityClaim): Promise<boolean> {
    if (!this.claims.has(c.sharedKey)) this.claims.set(c.sharedKey, c.requestId);
    return this.claims.get(c.sharedKey) === c.requestId;
  }

  types(stream: string): string[] {
    return (this.streams.get(stream) ?? []).map((e) => e.type);
  }
}

export async function createWorker(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  store: RecordingStore,
): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: {
      persistEvents: store.persistEvents.bind(store),
      claimSharedActivity: store.claimSharedActivity.bind(store),
    },
  });
}

/**
 * One time-skipping server and one worker for a describe block; `ctx.env` is set in beforeAll.
 * The store records what the workflows persist.
 */
export function useWorkflowWorker(taskQueue: string): { env: TestWorkflowEnvironment; store: RecordingStore } {
  const ctx = { store: new RecordingStore() } as { env: TestWorkflowEnvironment; store: RecordingStore };
  let worker: Worker | undefined;
  let run: Promise<void> | undefined;
  beforeAll(async () => {
    ctx.env = await createTimeSkippingEnv();
    worker = await createWorker(ctx.env, taskQueue, ctx.store);
    run = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await run;
    await ctx.env?.teardown();
  });
  return ctx;
}
