import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DatabaseProbe } from '@app/persistence';
import { TemporalClientService } from '../temporal/temporal-client.module';
import { Dependency, dependencyUnavailable } from '../common/dependency-errors';

export type Check = { status: 'up' | 'down'; latencyMs: number; error?: string };

const PROBE_TIMEOUT_MS = 2000;
/** Probe cadence: slow while everything answers, fast while something is down so recovery is seen at once. */
const PROBE_EVERY_UP_MS = 5000;
const PROBE_EVERY_DOWN_MS = 1000;
/**
 * A refused or broken connection marks a dependency down at once; a slow answer only after this
 * many probes in a row, so a busy (not dead) Postgres or Temporal does not close the gate and abort
 * calls that would have succeeded.
 */
const SLOW_PROBES_FOR_DOWN = 3;
const SLOW = /no answer within|DEADLINE_EXCEEDED|deadline exceeded|timeout exceeded when trying to connect/i;

async function timed(fn: () => Promise<unknown>): Promise<Check> {
  const start = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
        timer.unref();
      }),
    ]);
    return { status: 'up', latencyMs: Date.now() - start };
  } catch (err) {
    return {
      status: 'down',
      latencyMs: Date.now() - start,
      error: (err as Error).message.split('\n')[0].slice(0, 200),
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What the API knows about Postgres and Temporal, shared by `/health` and the calls that need
 * them. Once a probe finds a dependency down, calls needing it answer 503 at once (instead of
 * waiting for their own deadline) until a probe finds it up again. A failing call only triggers a
 * probe, so one broken connection does not close the gate by itself.
 */
@Injectable()
export class DependencyHealthService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DependencyHealth');
  private readonly down = new Map<Dependency, { since: Date; error?: string }>();
  private readonly slowProbes = new Map<Dependency, number>();
  private readonly probing = new Map<Dependency, Promise<Check>>();
  /** Aborted when its dependency is found down, so calls already waiting on it end at once. */
  private readonly aborts = new Map<Dependency, AbortController>();
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly database: DatabaseProbe,
    private readonly temporal: TemporalClientService,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(PROBE_EVERY_UP_MS);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    await this.probeAll();
    this.schedule(this.down.size || this.slowProbes.size ? PROBE_EVERY_DOWN_MS : PROBE_EVERY_UP_MS);
  }

  /** Probes both dependencies now (at most one probe of each at a time) and records the result. */
  async probeAll(): Promise<Record<Dependency, Check>> {
    const [postgres, temporal] = await Promise.all([this.probe('postgres'), this.probe('temporal')]);
    return { postgres, temporal };
  }

  probe(dependency: Dependency): Promise<Check> {
    const running = this.probing.get(dependency);
    if (running) return running;
    const check = (dependency === 'postgres' ? this.probePostgres() : this.probeTemporal())
      .then((result) => {
        this.record(dependency, result);
        return result;
      })
      .finally(() => this.probing.delete(dependency));
    this.probing.set(dependency, check);
    return check;
  }

  private probePostgres(): Promise<Check> {
    return timed(() => this.database.ping());
  }

  private probeTemporal(): Promise<Check> {
    return timed(() =>
      this.temporal.probeConnection.withDeadline(Date.now() + PROBE_TIMEOUT_MS, () =>
        this.temporal.probeConnection.workflowService.describeNamespace({
          namespace: this.temporal.config.temporal.namespace,
        }),
      ),
    );
  }

  private record(dependency: Dependency, check: Check): void {
    const was = this.down.get(dependency);
    if (check.status === 'up') {
      this.slowProbes.delete(dependency);
      if (was) this.logger.log(`${dependency} is up again (down since ${was.since.toISOString()})`);
      this.down.delete(dependency);
      return;
    }
    if (!was && SLOW.test(check.error ?? '')) {
      const slow = (this.slowProbes.get(dependency) ?? 0) + 1;
      this.slowProbes.set(dependency, slow);
      this.schedule(PROBE_EVERY_DOWN_MS);
      if (slow < SLOW_PROBES_FOR_DOWN) return;
    }
    if (!was) {
      this.aborts.get(dependency)?.abort(new Error(`${dependency} is down: ${check.error}`));
      this.aborts.delete(dependency);
      this.logger.warn(`${dependency} is down: ${check.error}; calls needing it answer 503 until it answers`);
      this.down.set(dependency, { since: new Date(), error: check.error });
      this.schedule(PROBE_EVERY_DOWN_MS);
    }
  }

  /** A call failed in a way that suggests the dependency is gone: check now rather than at the next tick. */
  suspect(dependency: Dependency): void {
    void this.probe(dependency);
  }

  /** A signal aborted as soon as a probe finds the dependency down (for calls that would wait on it). */
  signal(dependency: Dependency): AbortSignal {
    let controller = this.aborts.get(dependency);
    if (!controller) {
      controller = new AbortController();
      this.aborts.set(dependency, controller);
    }
    return controller.signal;
  }

  /**
   * Runs a call that needs the dependency, ending it as soon as a probe finds the dependency down
   * (in-flight gRPC requests are cancelled too) instead of at the call's own deadline. The
   * abandoned call may still have reached the dependency: callers treat this as an unknown outcome.
   */
  async whileUp<T>(dependency: Dependency, fn: () => Promise<T>): Promise<T> {
    const down = this.signal(dependency);
    // One controller per call: the SDK adds a listener per gRPC request to the signal it is given
    // and never removes it, so the long-lived shared signal must not be handed to it.
    const call = new AbortController();
    let onDown = () => undefined as void;
    const aborted = new Promise<never>((_, reject) => {
      onDown = () => {
        call.abort();
        reject(new Error(`${dependency} went down while the call was waiting on it`));
      };
      down.addEventListener('abort', onDown, { once: true });
    });
    const work = dependency === 'temporal' ? this.temporal.connection.withAbortSignal(call.signal, fn) : fn();
    work.catch(() => undefined);
    try {
      return await Promise.race([work, aborted]);
    } finally {
      down.removeEventListener('abort', onDown);
    }
  }

  isDown(dependency: Dependency): boolean {
    return this.down.has(dependency);
  }

  /** Refuses at once (503 DEPENDENCY_UNAVAILABLE, nothing done) when a dependency is known to be down. */
  assertUp(...dependencies: Dependency[]): void {
    for (const dependency of dependencies) {
      const down = this.down.get(dependency);
      if (down)
        throw dependencyUnavailable(
          dependency,
          false,
          `${dependency === 'postgres' ? 'the database' : 'the workflow service'} has been unavailable since ${down.since.toISOString()}; nothing was done, retry later`,
        );
    }
  }
}
