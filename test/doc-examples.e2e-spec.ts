import { spawn, spawnSync } from 'child_process';
import { readFileSync } from 'fs';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { readTestEnv } from './support/test-env';
import { useStack } from './support/test-stack';
import { waitFor } from './support/wait';

jest.setTimeout(240_000);

const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** The ```sh blocks of a Markdown text, in order. */
function shBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

/** A problem+json answer as jq pretty-prints it (a refused call shows up this way in the examples). */
const PROBLEM = /"status":\s*\d{3}/;

/**
 * Runs the examples exactly as a reader would paste them into bash (curl and jq) against this
 * test's API; only the address in `API=` changes. Each block's output is returned separately.
 */
async function runExamples(blocks: string[], api: string): Promise<{ outputs: string[]; ref: string }> {
  const script = [
    'set -euo pipefail',
    // Markers start on a line of their own even when an example's output ends without a newline.
    ...blocks.map(
      (b, i) => `printf '\\n@@BLOCK ${i}\\n'\n${b.replace(/^API=http:\/\/127\.0\.0\.1:3000$/m, `API=${api}`)}`,
    ),
    `printf '\\n@@REF %s\\n' "$REF"`,
  ].join('\n');
  const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the examples failed (exit ${code}):\n${err}\n${out.slice(-3000)}`);
  const outputs = out.split(/^@@BLOCK \d+\n/m).slice(1);
  const ref = /^@@REF (\S+)$/m.exec(out)?.[1] ?? '';
  return { outputs, ref };
}

describe('the README and docs/API.md examples run as written', () => {
  const stack = useStack('doc-examples');
  let api = '';

  beforeAll(async () => {
    for (const tool of ['curl', 'jq']) {
      // The examples are curl + jq by design; without them the documentation cannot be checked.
      if (spawnSync('bash', ['-c', `command -v ${tool}`]).status !== 0)
        throw new Error(`${tool} is required to run the documentation examples (apt-get install ${tool})`);
    }
    await stack.api.listen(0, '127.0.0.1');
    api = `http://127.0.0.1:${(stack.api.getHttpServer().address() as AddressInfo).port}`;
  });

  async function expectClosedWithFollowUp(ref: string): Promise<void> {
    const cted = await stack.tokenFor('cted.officer@ctap.local');
    const detail = await stack.http.get(`/api/v1/requests/${ref}`).set('Authorization', `Bearer ${cted}`).expect(200);
    expect({ stage: detail.body.stage, outcome: detail.body.outcome }).toEqual({
      stage: 'closed',
      outcome: 'completed',
    });
    await waitFor(
      async () =>
        (await stack.http.get(`/api/v1/requests/${ref}/evaluation`).set('Authorization', `Bearer ${cted}`)).body
          .followUps?.length === 1,
    );
    const evaluation = await stack.http
      .get(`/api/v1/requests/${ref}/evaluation`)
      .set('Authorization', `Bearer ${cted}`)
      .expect(200);
    // Nothing the State wrote is dropped: the further need keeps its modalities.
    expect(evaluation.body.evaluation.furtherNeeds).toEqual([
      {
        id: 'need-1',
        thematicArea: 'criminal_justice_capacity',
        description: 'Train judges on the new law',
        modalities: ['mock_trial'],
      },
    ]);
  }

  it('README: the lifecycle, the on-behalf submission and the Temporal CLI line', async () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('### A full lifecycle with curl'), readme.indexOf('## Configuration'));
    const blocks = shBlocks(section);
    expect(blocks.length).toBeGreaterThanOrEqual(9);
    const { outputs, ref } = await runExamples(blocks, api);
    outputs.forEach((out, i) =>
      expect({ block: i, problem: PROBLEM.test(out) ? out : null }).toEqual({ block: i, problem: null }),
    );
    expect(outputs.join('\n')).toMatch(/"origin": "cted_assessment"/);
    // Activities are listed with the status the API uses and the docs name: scheduled.
    expect(outputs.join('\n')).toMatch(/"status": "scheduled"/);
    await expectClosedWithFollowUp(ref);

    // The on-behalf request keeps the consent as given, scope included.
    const [onBehalf] = await stack.ds.query(
      `SELECT reference FROM assistance_requests WHERE title = 'Mutual legal assistance in terrorism cases' ORDER BY submitted_at DESC LIMIT 1`,
    );
    const cted = await stack.tokenFor('cted.officer@ctap.local');
    await waitFor(
      async () =>
        (await stack.http.get(`/api/v1/requests/${onBehalf.reference}`).set('Authorization', `Bearer ${cted}`)).body
          .state?.consent?.scope === 'Assistance to the central authority named in the note verbale of 2 October 2026',
    );

    // The CLI is called by its installed path, never as a bare `temporal` that is not on PATH.
    expect(readme).not.toMatch(/(^|[`(\s])temporal (workflow|operator) /m);
    const cli = /`(\.venv\/bin\/temporal workflow list --query "[^"]+")`/.exec(readme)?.[1];
    expect(cli).toBeDefined();
    const listed = spawnSync('bash', ['-c', `${cli} --address ${readTestEnv().temporalAddress}`], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect({ status: listed.status, stderr: listed.stderr }).toEqual({ status: 0, stderr: '' });
    await waitFor(async () => {
      const again = spawnSync('bash', ['-c', `${cli} --address ${readTestEnv().temporalAddress}`], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      return again.stdout.includes(`assistance-request/${onBehalf.reference}`);
    });
  });

  it('docs/API.md: the lifecycle, the work queue, the refusal example and user administration', async () => {
    const blocks = shBlocks(read('docs/API.md'));
    const errorsBlock = blocks.findIndex((b) => b.startsWith('act "$UNODC" approve-plan'));
    expect(errorsBlock).toBeGreaterThan(0);
    const { outputs, ref } = await runExamples(blocks, api);
    outputs.forEach((out, i) => {
      if (i === errorsBlock) expect(JSON.parse(out)).toMatchObject({ status: 409, code: expect.any(String) });
      else expect({ block: i, problem: PROBLEM.test(out) ? out : null }).toEqual({ block: i, problem: null });
    });
    expect(outputs.join('\n')).toMatch(/"email": "focal.gha@ctap.local"/);
    await expectClosedWithFollowUp(ref);
  });

  it('GET /api/v1 is an index of links, and the report list names documents by their UN symbol', async () => {
    const index = await stack.http.get('/api/v1').expect(200);
    expect(index.body.links.requests).toEqual(expect.objectContaining({ href: '/api/v1/requests', method: 'GET' }));
    for (const link of Object.values(index.body.links) as { href: string }[]) expect(link.href).toMatch(/^\//);
    const cted = await stack.tokenFor('cted.officer@ctap.local');
    const reports = await stack.http.get('/api/v1/reports').set('Authorization', `Bearer ${cted}`).expect(200);
    expect(JSON.stringify(reports.body)).not.toMatch(/report 00\d|_[0-9a-f]{16}\.txt/);
    expect(JSON.stringify(reports.body)).toMatch(/E\/CN\.15\/2010/);
  });
});
