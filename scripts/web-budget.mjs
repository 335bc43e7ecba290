// Prints the size of every built chunk and fails when the JavaScript the first page loads
// (the entry and its static imports, gzipped) is over the budget.
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

const BUDGET_KB = 300;
const dist = path.resolve(import.meta.dirname, '../apps/web/dist');
const manifest = JSON.parse(readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8'));
const gz = (file) => gzipSync(readFileSync(path.join(dist, file))).length;
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;

const entry = Object.values(manifest).find((c) => c.isEntry);
const initial = new Set();
const walk = (chunk) => {
  if (initial.has(chunk.file)) return;
  initial.add(chunk.file);
  for (const imp of chunk.imports ?? []) walk(manifest[imp]);
};
walk(entry);

const rows = Object.values(manifest)
  .filter((c) => c.file.endsWith('.js'))
  .map((c) => ({
    file: c.file,
    raw: statSync(path.join(dist, c.file)).size,
    gzip: gz(c.file),
    initial: initial.has(c.file),
  }))
  .sort((a, b) => b.gzip - a.gzip);
for (const r of rows)
  console.log(
    `${r.initial ? '*' : ' '} ${r.file.padEnd(48)} ${kb(r.raw).padStart(10)} ${kb(r.gzip).padStart(10)} gzip`,
  );
const css = (entry.css ?? []).reduce((s, f) => s + gz(f), 0);
const total = [...initial].reduce((s, f) => s + gz(f), 0);
console.log(
  `initial JavaScript (* above): ${kb(total)} gzipped (budget ${BUDGET_KB} kB); initial CSS ${kb(css)} gzipped`,
);
if (total > BUDGET_KB * 1024) {
  console.error(`over budget: the first page loads ${kb(total)} of JavaScript, more than ${BUDGET_KB} kB`);
  process.exit(1);
}
