import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Client, Connection } from '@temporalio/client';
import { AppModule } from '../../apps/api/src/app.module';
import { setupApp } from '../../apps/api/src/setup-app';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { DEV_ACCOUNTS } from '../../seeds/src/dev-accounts';
import { readTestEnv } from './test-env';

export interface TestStack {
  api: INestApplication;
  worker: INestApplicationContext;
  http: ReturnType<typeof request>;
  ds: DataSource;
  temporal: Client;
  taskQueue: string;
  tokenFor(email: string): Promise<string>;
  close(): Promise<void>;
}

const silent = { log() {}, error: console.error, warn() {}, debug() {}, verbose() {}, fatal: console.error };

/** API and worker in this process, on the real test database and the real dev server; one task queue per file. */
export async function startStack(
  name: string,
  opts: { worker?: boolean; env?: Record<string, string> } = {},
): Promise<TestStack> {
  const env = readTestEnv();
  const taskQueue = `e2e-${name}-${process.pid}`;
  Object.assign(process.env, {
    DATABASE_URL: env.databaseUrl,
    TEMPORAL_ADDRESS: env.temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'error',
    RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? '100000',
    // The tests' webhook receivers listen on 127.0.0.1; test/webhook-targets.e2e-spec.ts turns it off.
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    ...opts.env,
  });
  const api = await NestFactory.create<NestExpressApplication>(AppModule, { logger: silent, bodyParser: false });
  setupApp(api);
  await api.init();
  const worker =
    opts.worker === false ? undefined : await NestFactory.createApplicationContext(WorkerModule, { logger: silent });
  const connection = Connection.lazy({ address: process.env.TEMPORAL_ADDRESS! });
  const temporal = new Client({ connection });
  const http = request(api.getHttpServer());
  const tokens = new Map<string, string>();
  return {
    api,
    worker: worker as INestApplicationContext,
    http,
    ds: api.get(DataSource),
    temporal,
    taskQueue,
    async tokenFor(email: string) {
      if (!tokens.has(email)) {
        const account = DEV_ACCOUNTS.find((a) => a.email === email)!;
        const res = await http.post('/api/v1/auth/token').send({ email, password: account.password }).expect(200);
        tokens.set(email, res.body.accessToken);
      }
      return tokens.get(email)!;
    },
    async close() {
      await worker?.close();
      await api.close();
      await connection.close();
    },
  };
}

export const ACCOUNTS = {
  cted: 'cted.officer@ctap.local',
  unodc: 'unodc.manager@ctap.local',
  ctedSupervisor: 'cted.supervisor@ctap.local',
  unodcSupervisor: 'unodc.supervisor@ctap.local',
  cted2: 'cted.officer2@ctap.local',
  admin: 'admin@ctap.local',
  kenya: 'focal.ken@ctap.local',
  indonesia: 'focal.idn@ctap.local',
};

/**
 * The stack for one describe block: started in beforeAll, closed in afterAll. The returned object
 * forwards to the started stack, so tests read `stack.http`, `stack.ds`, … as usual.
 */
export function useStack(name: string, opts: Parameters<typeof startStack>[1] = {}): TestStack {
  let current: TestStack | undefined;
  beforeAll(async () => {
    current = await startStack(name, opts);
  });
  afterAll(async () => {
    await current?.close();
  });
  return new Proxy({} as TestStack, {
    get(_target, key) {
      if (!current) throw new Error(`test stack ${name} is used before beforeAll started it`);
      return current[key as keyof TestStack];
    },
  });
}
