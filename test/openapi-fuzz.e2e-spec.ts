import { spawn } from 'child_process';
import { existsSync, mkdirSync, writeFileSync } from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { prepareDatabase } from './support/e2e-global-setup';
import { readTestEnv } from './support/test-env';
import { startTemporal } from './support/processes';
import { ACCOUNTS, TestStack, startStack } from './support/test-stack';

/**
 * Property-based API test: schemathesis (installed into .venv by `make tools`) generates requests
 * from the served OpenAPI document and checks every answer against it, as each role. Bounded to a
 * few examples per operation so `make test` stays within minutes; it must find nothing.
 */
const SCHEMATHESIS = path.join(__dirname, '..', '.venv', 'bin', 'schemathesis');
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'response_headers_conformance',
].join(',');
const MAX_EXAMPLES = process.env.CTAP_FUZZ_EXAMPLES ?? '5';

jest.setTimeout(15 * 60_000);

interface Run {
  role: string;
  code: number;
  output: string;
  seconds: number;
}

function schemathesis(base: string, token: string, role: string): Promise<Run> {
  const started = Date.now();
  const args = [
    'run',
    `${base}/api/openapi.json`,
    '--url',
    base,
    '--checks',
    CHECKS,
    '--mode',
    'positive',
    '--phases',
    'examples,coverage,fuzzing',
    '--max-examples',
    MAX_EXAMPLES,
    '--seed',
    '20261129',
    '--workers',
    '1',
    '--request-timeout',
    '30',
    '--suppress-health-check',
    'all',
    '--no-color',
    '--header',
    `Authorization: Bearer ${token}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(SCHEMATHESIS, args, { env: { ...process.env, NO_COLOR: '1', COLUMNS: '160' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ role, code: code ?? -1, output, seconds: Math.round((Date.now() - started) / 1000) }),
    );
  });
}

describe('OpenAPI property-based run (schemathesis): every answer conforms to the document', () => {
  let stack: TestStack;
  let temporal: { address: string; kill(): void } | undefined;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    // A database of its own: the requests other test files leave behind run on task queues whose
    // workers are gone, and the generator finds them through the list endpoints.
    const url = new URL(readTestEnv().databaseUrl);
    url.pathname = `${url.pathname}_fuzz`;
    await prepareDatabase(url.toString());
    // And a Temporal server of its own: its references restart at 000001, and the workflow ids built
    // from them would collide with other files' requests on the shared dev server.
    temporal = await startTemporal();
    stack = await startStack('openapi-fuzz', {
      env: { AUTH_RATE_LIMIT_PER_MINUTE: '100000', DATABASE_URL: url.toString(), TEMPORAL_ADDRESS: temporal.address },
    });
    server = http.createServer(stack.api.getHttpAdapter().getInstance());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await stack?.close();
    temporal?.kill();
  });

  it('is installed (make tools)', () => {
    expect(existsSync(SCHEMATHESIS)).toBe(true);
  });

  // Anonymous callers get 401 before any input is read (test/api-authorization covers that).
  const roles: [string, keyof typeof ACCOUNTS][] = [
    ['member_state', 'kenya'],
    ['cted_officer', 'cted'],
    ['unodc_manager', 'unodc'],
    ['admin', 'admin'],
    // The assignment routes (assign, assignable-users) only a supervisor reaches past the guard.
    ['cted_supervisor', 'ctedSupervisor'],
  ];
  // The runs go at once: each spends most of its time waiting on the API, not on the CPU.
  let runs: Promise<Awaited<ReturnType<typeof schemathesis>>[]> | undefined;
  const runOf = async (role: string): Promise<Awaited<ReturnType<typeof schemathesis>>> => {
    runs ??= Promise.all(roles.map(async ([r, a]) => schemathesis(base, await stack.tokenFor(ACCOUNTS[a]), r)));
    return (await runs).find((r) => r.role === role)!;
  };
  it.each(roles)('finds nothing as %s', async (role) => {
    const run = await runOf(role);
    const summary = run.output
      .split('\n')
      .filter((l) => /operations|test cases|Tested|passed|failed|errored|seconds/i.test(l))
      .slice(-6)
      .join('\n');
    const dir = path.join(__dirname, '..', '.data');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `schemathesis-${role}.log`), run.output);
    if (run.code !== 0) throw new Error(`schemathesis as ${role} (exit ${run.code}):\n${run.output.slice(-12000)}`);
    process.stdout.write(`schemathesis as ${role}: ${run.seconds} s\n${summary}\n`);
  });
});
