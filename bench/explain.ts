/**
 * EXPLAIN (ANALYZE, BUFFERS) of every report over the whole history and of the list pages the
 * bench times, on a bench data set: the evidence behind docs/PERFORMANCE.md.
 *
 *   node -r ./scripts/register.js bench/explain.ts [--database URL] [--only stage-times,q=] [--full]
 */
import { Stage } from '@app/domain';
import { Client } from 'pg';
import { REPORTS, REPORT_NAMES, REPORT_TRANSACTION_SETTINGS, periodOf } from '../apps/api/src/reports/report-queries';
import { listRequestsSql } from '../apps/api/src/requests/list-requests.sql';

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = arg('only')?.split(',');
const full = argv.includes('--full');

const LISTS: [string, Parameters<typeof listRequestsSql>[1]][] = [
  ['list first page', {}],
  ['list stage', { stage: Stage.UnodcPlanning }],
  ['list modality', { modality: 'mock_trial' }],
  ['list q= common word', { q: 'financing' }],
  ['list q= very common word', { q: 'terrorism' }],
  ['list q= no match', { q: 'zanzibar' }],
  ['list q= + stage', { q: 'judges', stage: Stage.Delivery }],
];

async function main(): Promise<void> {
  const c = new Client({ connectionString: arg('database') ?? 'postgres://postgres@127.0.0.1:5432/ctap_bench_100k' });
  await c.connect();
  const show = async (name: string, sql: string, params: unknown[], settings?: string) => {
    if (only && !only.some((o) => name.includes(o))) return;
    await c.query('BEGIN');
    if (settings) await c.query(settings);
    const r = await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    await c.query('ROLLBACK');
    const lines: string[] = r.rows.map((x: Record<string, string>) => x['QUERY PLAN']);
    console.log(`=== ${name}: ${lines[lines.length - 1]}`);
    if (full) console.log(lines.join('\n'));
  };
  for (const [name, filters] of LISTS) {
    const { sql, args } = listRequestsSql({ role: 'cted_officer' }, filters);
    await show(name, sql, args);
  }
  for (const name of REPORT_NAMES) {
    const def = REPORTS[name];
    await show(name, def.sql, def.params(periodOf()), REPORT_TRANSACTION_SETTINGS);
  }
  await c.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
