/**
 * Before/after table of two bench results (.data/bench/results.json of two runs), figure by figure:
 *   node -r ./scripts/register.js bench/compare.ts before.json after.json [--size 100000]
 * With one file: its figures, median [min–max] over repeats, baseline and ratio.
 */
import { readFileSync } from 'fs';

interface Figure {
  id: string;
  metric: string;
  unit: string;
  size?: number;
  ctap: number[];
  base: number[];
}

const [beforeFile, afterFile] = process.argv.slice(2);
const sizeArg = process.argv.indexOf('--size');
const size = sizeArg > 0 ? Number(process.argv[sizeArg + 1]) : undefined;
const load = (f: string): Figure[] => JSON.parse(readFileSync(f, 'utf8')).figures;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const fmt = (x: number) =>
  !Number.isFinite(x) ? 'n/a' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
const key = (f: Figure) => `${f.id} ${f.metric} ${f.size ?? ''}`;

if (!afterFile) {
  console.log('| id | metric | size | CTAP median [min–max] | baseline median [min–max] | ratio |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const spread = (xs: number[]) => `${fmt(median(xs))} [${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}]`;
  for (const f of load(beforeFile).filter((x) => size === undefined || x.size === size)) {
    const sz = f.size ? (f.size >= 1e6 ? `${f.size / 1e6}m` : `${f.size / 1e3}k`) : '';
    console.log(
      `| ${f.id} | ${f.metric} (${f.unit}) | ${sz} | ${spread(f.ctap)} | ${spread(f.base)} | ${fmt(median(f.ctap) / median(f.base))} |`,
    );
  }
  process.exit(0);
}
const before = new Map(load(beforeFile).map((f) => [key(f), f]));
const rows = load(afterFile).filter((f) => size === undefined || f.size === size);
console.log('| id | metric | before: CTAP (raw) | after: CTAP (raw) | CTAP after/before | ratio to raw after |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const a of rows) {
  const b = before.get(key(a));
  const ca = median(a.ctap);
  const cb = b ? median(b.ctap) : NaN;
  console.log(
    `| ${a.id} | ${a.metric} (${a.unit}) | ${b ? `${fmt(cb)} (${fmt(median(b.base))})` : 'n/a'} | ${fmt(ca)} (${fmt(median(a.base))}) | ${fmt(ca / cb)} | ${fmt(ca / median(a.base))} |`,
  );
}
