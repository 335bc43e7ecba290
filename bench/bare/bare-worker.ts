/**
 * The bare baseline's worker: its own process, bundle and task queue, so its memory and CPU are
 * measured apart from CTAP's. Env: TEMPORAL_ADDRESS, BARE_DATABASE_URL, BARE_TASK_QUEUE.
 */
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { Pool } from 'pg';
import type { BareActivities } from './bare.workflow';

export const BARE_TABLE_SQL = `CREATE TABLE IF NOT EXISTS bare_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, workflow_id text NOT NULL, step int NOT NULL,
  payload jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (workflow_id, step))`;

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: process.env.BARE_DATABASE_URL, max: 10 });
  await pool.query(BARE_TABLE_SQL);
  const activities: BareActivities = {
    async insertEvent({ workflowId, step, payload }) {
      await pool.query(
        'INSERT INTO bare_events (workflow_id, step, payload) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [workflowId, step, JSON.stringify(payload)],
      );
    },
  };
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    taskQueue: process.env.BARE_TASK_QUEUE ?? 'bench-bare',
    workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('./bare.workflow'), logger: quiet }),
    activities,
  });
  const stop = () => worker.shutdown();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  console.log('bare worker polling');
  await worker.run();
  await connection.close();
  await pool.end();
}

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
