import { readFileSync } from 'fs';
import * as path from 'path';
import { ERROR_CATALOGUE, ErrorCode } from '@app/domain';

/** The rows of docs/API.md's error table: code, status and field as written there. */
function documentedErrors(): { code: string; status: number; field: string }[] {
  const doc = readFileSync(path.join(__dirname, '../../../../docs/API.md'), 'utf8');
  const section = doc.slice(doc.indexOf('\n## Errors'), doc.indexOf('\n## ', doc.indexOf('\n## Errors') + 1));
  return section
    .split('\n')
    .map((line) => /^\| `([A-Z_]+)` \| (\d{3}) \| ([^|]+) \|/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ code: m[1], status: Number(m[2]), field: m[3].trim() }));
}

describe('docs/API.md error table', () => {
  const rows = documentedErrors();

  it('lists every catalogue code once, with its status', () => {
    const catalogue = Object.entries(ERROR_CATALOGUE).map(([code, e]) => ({ code, status: e.status }));
    expect(rows.map(({ code, status }) => ({ code, status })).sort((a, b) => a.code.localeCompare(b.code))).toEqual(
      catalogue.sort((a, b) => a.code.localeCompare(b.code)),
    );
  });

  it("names the catalogue's fixed field where it has one", () => {
    for (const row of rows) {
      const field = (ERROR_CATALOGUE[row.code as ErrorCode] as { field?: string }).field;
      if (field) expect({ code: row.code, field: row.field }).toEqual({ code: row.code, field: `\`${field}\`` });
    }
  });
});
