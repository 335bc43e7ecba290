import { execFileSync } from 'child_process';
import * as path from 'path';

/**
 * The folder rules of docs/ARCHITECTURE.md ("Layout") are enforced by eslint.config.mjs; this proves
 * each rule fires on a forbidden import and stays quiet on an allowed one, so a loosened pattern is
 * noticed. Snippets are linted in memory under a path inside the folder they pretend to live in.
 */
function lintSnippets(snippets: Array<{ file: string; source: string }>): string[][] {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'lint-snippets.mjs')], {
    input: JSON.stringify(snippets),
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[][];
}

const cases: Array<[string, string, boolean]> = [
  ['apps/web/src/probe.ts', "import { Role } from '@app/domain';", true],
  ['apps/web/src/probe.ts', "import { readFileSync } from 'fs';", true],
  ['apps/web/src/probe.ts', "import { AppModule } from '../../api/src/app.module';", true],
  ['apps/web/src/probe.ts', "import { api } from './api/client';", false],
  ['libs/domain/src/probe.ts', "import { readFileSync } from 'fs';", true],
  ['libs/domain/src/probe.ts', "import 'node:crypto';", true],
  ['libs/domain/src/probe.ts', "import 'events';", true],
  ['libs/domain/src/probe.ts', "import { APP_CONFIG } from '@app/common';", true],
  ['libs/domain/src/probe.ts', "import { Stage } from './stage';", false],
  ['libs/contracts/src/probe.ts', "import { Stage } from '@app/domain';", false],
  ['libs/contracts/src/probe.ts', "import { Client } from '@temporalio/client';", true],
  ['libs/contracts/src/probe.ts', "import { DataSource } from 'typeorm';", true],
  ['libs/common/src/probe.ts', "import { Stage } from '@app/domain';", false],
  ['libs/common/src/probe.ts', "import { requestWorkflowId } from '@app/contracts';", true],
  ['libs/common/src/probe.ts', "import { main } from '../../../apps/api/src/main';", true],
  ['libs/persistence/src/probe.ts', "import { APP_CONFIG } from '@app/common';", false],
  ['libs/persistence/src/probe.ts', "import { Client } from '@temporalio/client';", true],
  ['libs/temporal/src/probe.ts', "import { EventStore } from '@app/persistence';", true],
  ['workflows/src/probe.ts', "import { proxyActivities } from '@temporalio/workflow';", false],
  ['workflows/src/probe.ts', "import { Stage } from '@app/domain';", false],
  ['workflows/src/probe.ts', "import 'timers';", true],
  ['workflows/src/probe.ts', "import { Worker } from '@temporalio/worker';", true],
  ['workflows/src/probe.ts', "import { EventStore } from '@app/persistence';", true],
  ['apps/api/src/probe.ts', "import { main } from '../../worker/src/main';", true],
  ['apps/api/src/probe.ts', "import { EventStore } from '@app/persistence';", false],
  ['apps/api/src/probe.ts', "import { DataSource } from 'typeorm';", true],
  ['apps/worker/src/probe.ts', "import { InjectDataSource } from '@nestjs/typeorm';", true],
  ['apps/worker/src/probe.ts', "import { AppModule } from '../../api/src/app.module';", true],
  ['seeds/src/probe.ts', "import { main } from '../../apps/worker/src/main';", true],
];

describe('folder import rules (docs/ARCHITECTURE.md)', () => {
  let hits: string[][];
  beforeAll(() => {
    hits = lintSnippets(cases.map(([file, source]) => ({ file, source })));
  }, 60_000);

  it.each(cases.map((c, i) => [...c, i] as const))('%s: %s -> restricted %s', (_file, _source, expected, i) => {
    expect(hits[i].includes('@typescript-eslint/no-restricted-imports')).toBe(expected);
  });
});
