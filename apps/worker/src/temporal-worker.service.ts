import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  DefaultLogger,
  LogEntry,
  NativeConnection,
  Runtime,
  Worker,
  makeTelemetryFilterString,
} from '@temporalio/worker';
import { APP_CONFIG, AppConfig } from '@app/common';
import { Client } from '@temporalio/client';
import { outboxDispatcherWorkflowId } from '@app/contracts';
import { WORKFLOWS_PATH, temporalConnectionOptions, webpackConfigHook } from '@app/temporal';
import { OutboxActivitiesImpl } from './activities/outbox.activities';
import { RequestActivitiesImpl } from './activities/request.activities';

/**
 * Hosts the Temporal worker inside the Nest application context: connects (retrying until the
 * server answers), runs until shutdown, and on shutdown lets in-flight activities finish.
 */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TemporalWorkerService.name);
  private worker?: Worker;
  private connection?: NativeConnection;
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly activities: RequestActivitiesImpl,
    private readonly outbox: OutboxActivitiesImpl,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    installRuntimeOnce(this.config.logLevel);
    this.connection = await this.connectWithRetry();
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: this.config.temporal.namespace,
      taskQueue: this.config.temporal.taskQueue,
      // A prebuilt bundle (npm run bundle:workflows) starts in a fraction of the time; otherwise bundle now.
      ...(process.env.WORKFLOW_BUNDLE_PATH
        ? { workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH } }
        : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { webpackConfigHook } }),
      activities: { ...this.activities.asActivities(), ...this.outbox.asActivities() },
      shutdownGraceTime: '20 seconds',
      stickyQueueScheduleToStartTimeout: this.config.temporal.stickyTimeoutMs,
    });
    this.logger.log(
      `polling task queue ${this.config.temporal.taskQueue} on ${this.config.temporal.address} (namespace ${this.config.temporal.namespace})`,
    );
    this.running = this.worker.run().catch((err: Error) => {
      this.logger.error(`worker stopped: ${err.message}`);
      if (!this.stopping) process.exitCode = 1;
    });
    await this.startOutboxDispatcher();
  }

  /** One dispatcher workflow per task queue; every worker makes sure it runs (USE_EXISTING). */
  private async startOutboxDispatcher(): Promise<void> {
    const client = new Client({ connection: this.connection!, namespace: this.config.temporal.namespace });
    try {
      await client.workflow.start('outboxDispatcherWorkflow', {
        workflowId: outboxDispatcherWorkflowId(this.config.temporal.taskQueue),
        taskQueue: this.config.temporal.taskQueue,
        args: [{}],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    } catch (err) {
      this.logger.error(`outbox dispatcher not started: ${(err as Error).message}`);
    }
  }

  get state(): string {
    return this.worker?.getState() ?? 'CONNECTING';
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.stopping = true;
    this.outbox.stop();
    if (this.worker && this.worker.getState() === 'RUNNING') {
      this.logger.log(`shutting down (${signal ?? 'close'}): finishing in-flight activities`);
      this.worker.shutdown();
    }
    await this.running;
    await this.connection?.close();
  }

  private async connectWithRetry(): Promise<NativeConnection> {
    const options = temporalConnectionOptions(this.config.temporal);
    for (let attempt = 1; ; attempt++) {
      try {
        return await NativeConnection.connect(options);
      } catch (err) {
        const delay = Math.min(1000 * 2 ** Math.min(attempt - 1, 4), 15000);
        this.logger.warn(
          `Temporal at ${options.address} not reachable (attempt ${attempt}: ${(err as Error).message}); retrying in ${delay} ms`,
        );
        await new Promise((r) => setTimeout(r, delay));
        if (this.stopping) throw err;
      }
    }
  }
}

let runtimeInstalled = false;
/** Temporal SDK and core logs leave as the same one-object-per-line JSON as the rest of the worker. */
function installRuntimeOnce(level: AppConfig['logLevel']): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const verbose = level === 'debug' || level === 'verbose';
  const write = (entry: LogEntry) => {
    const line = JSON.stringify({
      level: entry.level.toLowerCase(),
      timestamp: Number(entry.timestampNanos / 1_000_000n),
      context: 'temporal',
      message: entry.message,
      ...entry.meta,
    });
    (entry.level === 'ERROR' || entry.level === 'WARN' ? process.stderr : process.stdout).write(`${line}\n`);
  };
  try {
    Runtime.install({
      // Nest owns SIGINT/SIGTERM (enableShutdownHooks) and shuts the worker down from its hook.
      shutdownSignals: [],
      logger: new DefaultLogger(verbose ? 'INFO' : 'WARN', write),
      telemetryOptions: {
        logging: { filter: makeTelemetryFilterString({ core: verbose ? 'INFO' : 'WARN' }), forward: {} },
      },
    });
  } catch {
    // Already installed by an earlier worker in this process (tests).
  }
}
