#!/usr/bin/env node
// Reconstructs the donor-contribution table in the annex of report
// 000_595cea3a83a19239.txt (E/CN.15/2010, "Contributions to the United Nations
// Crime Prevention and Criminal Justice Fund for technical assistance projects
// of the Terrorism Prevention Branch", USD, pledged and paid as at 31 Dec 2009).
//
// What was lost: the text extraction dropped the empty cells of the table and
// uses a space as thousands separator, so a row such as
//   "比利时 708 818   345 853 362 965"
// is just a run of digit groups. Neither the number boundaries ("345 853" could
// be 345,853 or 345 and 853) nor the year column of each number are known.
//
// Constraints used (nothing else):
//   1. A number is a leading group of 1-3 digits without a leading zero,
//      followed by zero or more groups of exactly 3 digits.
//   2. The first number of a row is the row total; the remaining numbers are
//      the non-empty cells, in left-to-right (= increasing year) order, in the
//      8 columns "1999-2002", 2003, ..., 2009.
//   3. Every donor row's cells add up to its row total.
//   4. Every column adds up to the column total of the "总计" (total) row, and
//      the column totals add up to the grand total (39,024,221).
// The solver enumerates every tokenisation and every order-preserving column
// placement of every row, then runs an exhaustive depth-first search over the
// rows (memoising on the vector of remaining column totals) and COUNTS all
// complete assignments, so it proves uniqueness rather than stopping at the
// first hit. It does not use the spacing of the text (double spaces that
// sometimes mark empty cells); it only reports afterwards whether the result
// agrees with it.
//
// Usage (plain Node >= 18, no dependencies):
//   node seeds/data/reconstruct-donor-annex.mjs [path/to/000_595cea3a83a19239.txt]
//        prints the reconstructed table and the number of solutions
//   node seeds/data/reconstruct-donor-annex.mjs --write [path]
//        also (re)writes donors.json and donor-contributions.json beside this script
// Default report path: ../shared/domain/reports/000_595cea3a83a19239.txt
// relative to the repository root (the layout of /work/main and /work/shared).
// Exit code: 0 if exactly one assignment exists, 2 if none, 3 if several.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPORT_FILE = '000_595cea3a83a19239.txt';
const args = process.argv.slice(2);
const write = args.includes('--write');
const pathArg = args.find((a) => !a.startsWith('--'));
const candidates = [
  pathArg,
  resolve(HERE, '../../../shared/domain/reports', REPORT_FILE),
  resolve(HERE, '../../shared/domain/reports', REPORT_FILE),
  join('/work/shared/domain/reports', REPORT_FILE),
].filter(Boolean);
const reportPath = candidates.find((p) => existsSync(p));
if (!reportPath) {
  console.error(`report not found; tried:\n  ${candidates.join('\n  ')}`);
  process.exit(1);
}

// Column keys. "1999" stands for the printed column "1999-2002年".
export const COLUMNS = ['1999', '2003', '2004', '2005', '2006', '2007', '2008', '2009'];
const COLUMN_LABELS = { 1999: '1999-2002', 2008: '2008 (a: includes pledges not yet finalized)' };

// Chinese donor names as printed -> code, English name, kind.
export const DONORS = [
  ['奥地利', 'AUT', 'Austria', 'state'],
  ['比利时', 'BEL', 'Belgium', 'state'],
  ['加拿大', 'CAN', 'Canada', 'state'],
  ['哥伦比亚', 'COL', 'Colombia', 'state'],
  ['丹麦', 'DNK', 'Denmark', 'state'],
  ['法国', 'FRA', 'France', 'state'],
  ['德国', 'DEU', 'Germany', 'state'],
  ['希腊', 'GRC', 'Greece', 'state'],
  ['以色列', 'ISR', 'Israel', 'state'],
  ['意大利', 'ITA', 'Italy', 'state'],
  ['日本', 'JPN', 'Japan', 'state'],
  ['列支敦士登', 'LIE', 'Liechtenstein', 'state'],
  ['摩纳哥', 'MCO', 'Monaco', 'state'],
  ['荷兰', 'NLD', 'Netherlands', 'state'],
  ['新西兰', 'NZL', 'New Zealand', 'state'],
  ['挪威', 'NOR', 'Norway', 'state'],
  ['西班牙', 'ESP', 'Spain', 'state'],
  ['瑞典', 'SWE', 'Sweden', 'state'],
  ['瑞士', 'CHE', 'Switzerland', 'state'],
  ['土耳其', 'TUR', 'Türkiye', 'state'],
  ['英国', 'GBR', 'United Kingdom of Great Britain and Northern Ireland', 'state'],
  ['美国', 'USA', 'United States of America', 'state'],
  ['印度洋委员会', 'COI', 'Indian Ocean Commission', 'organisation'],
  ['法语国家国际组织', 'OIF', 'International Organisation of La Francophonie', 'organisation'],
  ['刑警组织', 'INTERPOL', 'International Criminal Police Organization (INTERPOL)', 'organisation'],
  ['欧洲安全与合作组织', 'OSCE', 'Organization for Security and Co-operation in Europe', 'organisation'],
];
const TOTAL_LABEL = '总计';

// ---------------------------------------------------------------- parsing
const text = readFileSync(reportPath, 'utf8');
const annexStart = text.search(/\n\s*附件\s*\n/);
if (annexStart < 0) throw new Error('annex heading 附件 not found');
const annex = text.slice(annexStart);
// The column-header line is the one that names the last column, after "1999-2002年".
const headerIdx = annex.indexOf('2009年', annex.indexOf('1999-2002年'));
if (headerIdx < 0) throw new Error('annex column header not found');
const afterHeader = annex.slice(annex.indexOf('\n', headerIdx) + 1);
const rawLines = afterHeader.split('\n').map((l) => l.replace(/\s+$/, ''));

// Join label lines that wrapped (e.g. "欧洲安全与" / "   合作组织 25 963 ...").
const rows = [];
let pending = '';
for (const line of rawLines) {
  if (!line.trim()) {
    if (pending) continue;
    if (rows.length && rows[rows.length - 1].label === TOTAL_LABEL) break;
    continue;
  }
  const m = /^\s*([^\d]+?)\s*((?:\d+\s*)+)$/.exec(line);
  if (!m) {
    pending += line.trim();
    continue;
  }
  const label = (pending + m[1].trim()).replace(/\s+/g, '');
  pending = '';
  rows.push({ label, rawNumbers: m[2], groups: m[2].trim().split(/\s+/) });
  if (label === TOTAL_LABEL) break;
}
const totalRow = rows.find((r) => r.label === TOTAL_LABEL);
const donorRows = rows.filter((r) => r.label !== TOTAL_LABEL);
if (!totalRow) throw new Error('total row 总计 not found');
const donorByLabel = new Map(DONORS.map((d) => [d[0], d]));
for (const r of donorRows) {
  const d = donorByLabel.get(r.label);
  if (!d) throw new Error(`unknown donor label in annex: ${r.label}`);
  r.code = d[1];
}
if (donorRows.length !== DONORS.length) {
  throw new Error(`expected ${DONORS.length} donor rows, parsed ${donorRows.length}`);
}

// ---------------------------------------------------------- tokenisation
// All ways to split a list of digit groups into numbers (rule 1).
function tokenisations(groups) {
  const out = [];
  const rec = (i, acc) => {
    if (i === groups.length) return out.push(acc.slice());
    const g = groups[i];
    if (g.length > 3 || (g.length > 1 && g[0] === '0')) return; // cannot start a number
    let s = g;
    for (let j = i; j < groups.length; j++) {
      if (j > i) {
        if (groups[j].length !== 3) break;
        s += groups[j];
      }
      acc.push(Number(s));
      rec(j + 1, acc);
      acc.pop();
    }
  };
  rec(0, []);
  return out;
}

// All increasing k-subsets of column indexes 0..n-1.
function placements(k, n) {
  const out = [];
  const rec = (start, acc) => {
    if (acc.length === k) return out.push(acc.slice());
    for (let c = start; c <= n - (k - acc.length); c++) {
      acc.push(c);
      rec(c + 1, acc);
      acc.pop();
    }
  };
  rec(0, []);
  return out;
}

const NC = COLUMNS.length;
// Readings of a row whose cells add up to its total (rules 1 and 3).
function rowReadings(groups) {
  const all = tokenisations(groups);
  const ok = all.filter(([total, ...cells]) =>
    cells.length >= 1 && cells.length <= NC && cells.reduce((a, b) => a + b, 0) === total);
  return { tokCount: all.length, readings: ok.map(([total, ...cells]) => ({ total, cells })) };
}

// ------------------------------------------------------------------ solve
// Total row: the column totals must add up to the grand total, and every
// column of the printed total row is filled (8 column totals).
const totalTok = tokenisations(totalRow.groups).filter(
  (n) => n.length === NC + 1 && n.slice(1).reduce((a, b) => a + b, 0) === n[0],
);
if (totalTok.length !== 1) {
  console.error(`total row: ${totalTok.length} readings with ${NC} column totals`);
  process.exit(2);
}
const [grandTotal, ...columnTotals] = totalTok[0];

for (const r of donorRows) Object.assign(r, rowReadings(r.groups));
for (const r of donorRows) {
  if (r.readings.length === 0) {
    console.error(`${r.code}: no reading of "${r.rawNumbers.trim()}" adds up to a row total`);
    process.exit(2);
  }
}

// Column-by-column exhaustive search. State: for every row, how many of its
// cells have been placed so far (cells are placed in left-to-right order).
// For column j every row either puts its next cell there or leaves the cell
// empty (allowed only if its remaining cells still fit in the remaining
// columns). The choices whose sum equals the printed column total are found
// by meet-in-the-middle over the rows. Counting is memoised on the state.
function subsetChoices(options, target) {
  // options[r] = list of [value, advance] alternatives for row r.
  const half = Math.floor(options.length / 2);
  const enumerate = (from, to) => {
    let acc = [{ sum: 0, pick: [] }];
    for (let r = from; r < to; r++) {
      const next = [];
      for (const a of acc) {
        for (const [v, adv] of options[r]) {
          const sum = a.sum + v;
          if (sum <= target) next.push({ sum, pick: [...a.pick, adv] });
        }
      }
      acc = next;
    }
    return acc;
  };
  const left = enumerate(0, half);
  const right = enumerate(half, options.length);
  const bySum = new Map();
  for (const x of right) {
    if (!bySum.has(x.sum)) bySum.set(x.sum, []);
    bySum.get(x.sum).push(x.pick);
  }
  const out = [];
  for (const a of left) {
    for (const b of bySum.get(target - a.sum) ?? []) out.push([...a.pick, ...b]);
  }
  return out;
}

function solveFor(cellsByRow) {
  const memo = new Map();
  const solutions = [];
  const MAX_KEEP = 50;
  const lens = cellsByRow.map((c) => c.length);
  // count(j, ptr) = number of completions; records up to MAX_KEEP full solutions.
  function count(j, ptr, path) {
    if (j === NC) {
      if (ptr.every((p, r) => p === lens[r])) {
        if (solutions.length < MAX_KEEP) solutions.push(path.slice());
        return 1;
      }
      return 0;
    }
    const key = j + '|' + ptr.join(',');
    const known = memo.get(key);
    if (known === 0) return 0;
    if (known !== undefined && solutions.length >= MAX_KEEP) return known;
    const options = ptr.map((p, r) => {
      const left = lens[r] - p;
      const opts = [];
      if (left <= NC - j - 1) opts.push([0, 0]); // empty cell
      if (left > 0) opts.push([cellsByRow[r][p], 1]); // next cell goes here
      return opts;
    });
    if (options.some((o) => o.length === 0)) { memo.set(key, 0); return 0; }
    let n = 0;
    for (const adv of subsetChoices(options, columnTotals[j])) {
      path.push(adv);
      n += count(j + 1, ptr.map((p, r) => p + adv[r]), path);
      path.pop();
    }
    memo.set(key, n);
    return n;
  }
  const n = count(0, cellsByRow.map(() => 0), []);
  // Turn advance-paths into per-row column vectors.
  const vectors = solutions.map((path) =>
    cellsByRow.map((cells, r) => {
      const v = new Array(NC).fill(0);
      let p = 0;
      path.forEach((adv, j) => { if (adv[r]) v[j] = cells[p++]; });
      return v;
    }));
  return { n, vectors };
}

// Branch over the (row-sum-consistent) readings of every row; here each row
// has exactly one, but the code does not assume it.
let nSolutions = 0;
const allSolutions = []; // { readings: [...], vectors: [...] }
const combos = donorRows.reduce((acc, r) => acc * r.readings.length, 1);
if (combos > 10000) throw new Error(`too many tokenisation combinations: ${combos}`);
const idx = donorRows.map(() => 0);
for (let c = 0; c < combos; c++) {
  let rest = c;
  for (let r = 0; r < donorRows.length; r++) {
    idx[r] = rest % donorRows[r].readings.length;
    rest = Math.floor(rest / donorRows[r].readings.length);
  }
  const readings = donorRows.map((r, i) => r.readings[idx[i]]);
  const { n, vectors } = solveFor(readings.map((x) => x.cells));
  nSolutions += n;
  for (const v of vectors) allSolutions.push({ readings, vectors: v });
}

// ---------------------------------------------------------------- report
const fmt = (n) => (n ? n.toLocaleString('en-US') : '');
console.log(`report: ${reportPath}`);
console.log(`total row: grand total ${fmt(grandTotal)}; column totals ${columnTotals.map(fmt).join(' | ')}`);
console.log('row       digit-groups  readings  readings-adding-up  cells  order-preserving placements');
for (const r of donorRows) {
  const k = r.readings[0].cells.length;
  const binom = (n, m) => (m < 0 || m > n ? 0 : m === 0 ? 1 : (binom(n - 1, m - 1) * n) / m);
  console.log(`${r.code.padEnd(9)} ${String(r.groups.length).padStart(12)} ${String(r.tokCount).padStart(9)} ${String(r.readings.length).padStart(19)} ${String(k).padStart(6)} ${String(binom(NC, k)).padStart(6)}`);
}
console.log(`\nsolutions satisfying every row total and every column total: ${nSolutions}`);
if (nSolutions === 0) process.exit(2);

const first = allSolutions[0];
const chosen = new Map(donorRows.map((r, i) => [r.code, { total: first.readings[i].total, vector: first.vectors[i] }]));
if (allSolutions.length > 1) {
  console.log(`\nthe solutions differ in these cells (first ${allSolutions.length} kept):`);
  donorRows.forEach((r, i) => {
    const distinct = new Set(allSolutions.map((s) => s.vectors[i].join(',')));
    if (distinct.size > 1) console.log(`  ${r.code}: ${[...distinct].join('  |  ')}`);
  });
}
const header = ['donor', 'total', ...COLUMNS.map((c) => (c === '1999' ? '1999-02' : c))];
console.log('\n' + header.map((h) => h.padStart(10)).join(''));
for (const r of donorRows) {
  const c = chosen.get(r.code);
  console.log([r.code, fmt(c.total), ...c.vector.map(fmt)].map((x) => String(x).padStart(10)).join(''));
}
console.log([TOTAL_LABEL, fmt(grandTotal), ...columnTotals.map(fmt)].map((x) => String(x).padStart(10)).join(''));

// Cross-check against a spacing hint of the text (NOT used by the solver):
// where the 1999-2002 cell is empty the extraction tends to leave two or more
// spaces between the row total and the first cell.
const spaced = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
let agree = 0;
const disagree = [];
for (const r of donorRows) {
  const c = chosen.get(r.code);
  const raw = r.rawNumbers.trim();
  const afterTotal = raw.slice(spaced(c.total).length);
  const hintEmpty = /^\s{2,}/.test(afterTotal);
  if (hintEmpty === (c.vector[0] === 0)) agree++;
  else disagree.push(r.code);
}
console.log(`\nspacing cross-check (double space after total <=> empty 1999-2002 cell): ` +
  `${agree}/${donorRows.length} rows agree${disagree.length ? '; disagree: ' + disagree.join(', ') : ''}`);

if (write) {
  const source =
    `report ${REPORT_FILE} (E/CN.15/2010), annex "提供给联合国预防犯罪和刑事司法基金用于预防恐怖主义处技术援助项目的捐款" ` +
    `(contributions to the UN Crime Prevention and Criminal Justice Fund for TPB technical assistance projects, USD, paid and pledged as at 31 December 2009)`;
  const donors = {
    source,
    items: DONORS.map(([zh, code, name, kind]) =>
      kind === 'state' ? { code, name, nameZh: zh, kind, memberState: code } : { code, name, nameZh: zh, kind }),
  };
  const items = [];
  for (const r of donorRows) {
    const c = chosen.get(r.code);
    c.vector.forEach((amt, k) => {
      if (!amt) return;
      const item = { donor: r.code, year: Number(COLUMNS[k]), amountUsd: amt };
      if (COLUMNS[k] === '1999') item.periodEnd = 2002;
      items.push(item);
    });
  }
  const contributions = {
    source: `${source}; year columns recovered by seeds/data/reconstruct-donor-annex.mjs (${nSolutions === 1 ? 'unique solution' : nSolutions + ' solutions, first taken'})`,
    currency: 'USD',
    notes: [
      'Column "1999-2002" is keyed as year 1999 with periodEnd 2002 (one printed column for the four years).',
      'Column 2008 and the row totals are marked "a" in the annex: they include pledges not yet finalized.',
      'Amounts are pledged and paid contributions as at 31 December 2009.',
      'Report §67 describes USD 39,024,221 as the contributions of January 2003 to 31 December 2009 from 22 States (plus the four organisations), but the annex grand total includes the 1999-2002 column (USD 876,936); the 2003-2009 columns alone add up to USD 38,147,285. The figures here are the annex as printed.',
    ],
    columns: Object.fromEntries(COLUMNS.map((c) => [c, COLUMN_LABELS[c] ?? c])),
    solutions: nSolutions,
    items,
    rowTotals: Object.fromEntries(donorRows.map((r) => [r.code, chosen.get(r.code).total])),
    yearTotals: Object.fromEntries(COLUMNS.map((c, k) => [c, columnTotals[k]])),
    grandTotal,
  };
  writeFileSync(join(HERE, 'donors.json'), JSON.stringify(donors, null, 2) + '\n');
  writeFileSync(join(HERE, 'donor-contributions.json'), JSON.stringify(contributions, null, 2) + '\n');
  console.log(`\nwrote ${join(HERE, 'donors.json')} and ${join(HERE, 'donor-contributions.json')}`);
}
process.exit(nSolutions === 1 ? 0 : 3);
