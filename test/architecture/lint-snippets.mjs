// Lints in-memory snippets as if they lived at the given paths; prints the rule ids each one hit.
// Run as a child process because Jest cannot import ESLint's ES-module configuration.
import { ESLint } from 'eslint';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({
  cwd: root,
  // Type information is not needed for import rules and would require each file on disk.
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-misused-promises': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': 'off',
      'import-x/no-cycle': 'off',
      '@typescript-eslint/no-unused-vars': 'off',
    },
  },
});
let input = '';
for await (const chunk of process.stdin) input += chunk;
const out = [];
for (const { file, source } of JSON.parse(input)) {
  const [result] = await eslint.lintText(`${source}\n`, { filePath: path.join(root, file) });
  out.push(result.messages.map((m) => m.ruleId ?? m.message));
}
process.stdout.write(JSON.stringify(out));
