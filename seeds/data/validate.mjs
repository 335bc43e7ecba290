#!/usr/bin/env node
// Validates the reference-data files in seeds/data/ (plain Node >= 18, no dependencies).
//
//   node seeds/data/validate.mjs [--require-reports]
//
// Checks counts (193 Member States, 19 instruments, 14 thematic areas, 65 States
// assisted in 2009), codes and enums, that every iso3 referenced exists in
// member-states.json, and the donor annex: every row, every year column and the
// grand total. When the UN reports are found (../shared/domain/reports/ beside
// the repository, or $CTAP_REPORTS_DIR) it also checks the data against the
// report text: the annex digits, the 65 names of report 000 §7, the CTED visit
// countries, and the Chinese names of partner organisations. Without the
// reports those text checks are skipped (or fail with --require-reports).
// Exit code 0 when every check passes, 1 otherwise.

import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const requireReports = process.argv.includes('--require-reports');

let passed = 0;
const failures = [];
function check(ok, what) {
  if (ok) passed++;
  else failures.push(what);
  return ok;
}
function eq(actual, expected, what) {
  return check(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function load(name) {
  const p = join(HERE, name);
  if (!check(existsSync(p), `${name} exists`)) return { items: [] };
  let data;
  try {
    data = JSON.parse(readFileSync(p, 'utf8'));
  } catch (e) {
    check(false, `${name} parses as JSON: ${e.message}`);
    return { items: [] };
  }
  check(typeof data.source === 'string' && data.source.length > 0, `${name} has a "source" string`);
  check(Array.isArray(data.items), `${name} has an "items" array`);
  if (!Array.isArray(data.items)) data.items = [];
  return data;
}
function unique(items, key, file) {
  const seen = new Set();
  for (const it of items) {
    const k = typeof key === 'function' ? key(it) : it[key];
    check(!seen.has(k), `${file}: duplicate ${typeof key === 'string' ? key : 'key'} ${k}`);
    seen.add(k);
  }
}
const isDate = (s) => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) &&
  !Number.isNaN(Date.parse(s + 'T00:00:00Z')) && new Date(s + 'T00:00:00Z').toISOString().slice(0, 10) === s;

// ------------------------------------------------------------ reports (optional)
const REPORT_IDS = {
  '000': '000_595cea3a83a19239.txt',
  '001': '001_9bf77f037784b2f5.txt',
  '002': '002_eaab609ee6efb8a6.txt',
  '004': '004_77356fa80aad0891.txt',
};
const reportDirs = [
  process.env.CTAP_REPORTS_DIR,
  resolve(HERE, '../../../shared/domain/reports'),
  resolve(HERE, '../../shared/domain/reports'),
  '/work/shared/domain/reports',
].filter(Boolean);
const reportDir = reportDirs.find((d) => existsSync(join(d, REPORT_IDS['000'])));
const reports = {}; // id -> raw text
const flat = {}; // id -> text without whitespace
if (reportDir) {
  for (const [id, f] of Object.entries(REPORT_IDS)) {
    if (existsSync(join(reportDir, f))) {
      reports[id] = readFileSync(join(reportDir, f), 'utf8');
      flat[id] = reports[id].replace(/\s+/g, '');
    }
  }
} else if (requireReports) {
  check(false, `reports directory found (tried ${reportDirs.join(', ')})`);
} else {
  console.warn(`warning: reports not found (tried ${reportDirs.join(', ')}); text checks skipped`);
}
const citedReports = (source) => [...new Set([...String(source).matchAll(/\b(00[0124])_[0-9a-f]{16}\.txt/g)].map((m) => m[1]))];
// Text of paragraph n of a report, whitespace removed: from the line that
// starts with "n." up to the line that starts with "n+1.".
function paragraph(id, n) {
  const t = reports[id];
  if (!t) return null;
  const lines = t.split('\n');
  const startRe = new RegExp(`^\\s*${n}\\.\\s`);
  const endRe = new RegExp(`^\\s*${n + 1}\\.\\s`);
  const i = lines.findIndex((l) => startRe.test(l));
  if (i < 0) return null;
  let j = lines.findIndex((l, k) => k > i && endRe.test(l));
  if (j < 0) j = lines.length;
  return lines.slice(i, j).join('').replace(/\s+/g, '').replace(new RegExp(`^${n}\\.`), '');
}

// ------------------------------------------------------------ member states
const ms = load('member-states.json');
eq(ms.items.length, 193, 'member-states.json: number of UN Member States');
unique(ms.items, 'iso3', 'member-states.json');
unique(ms.items, 'iso2', 'member-states.json');
unique(ms.items, 'm49', 'member-states.json');
for (const it of ms.items) {
  check(/^[A-Z]{3}$/.test(it.iso3), `member-states.json: iso3 ${it.iso3}`);
  check(/^[A-Z]{2}$/.test(it.iso2), `member-states.json: iso2 ${it.iso2} (${it.iso3})`);
  check(/^\d{3}$/.test(it.m49), `member-states.json: m49 ${it.m49} (${it.iso3})`);
  for (const k of ['name', 'region', 'subregion']) {
    check(typeof it[k] === 'string' && it[k].length > 0, `member-states.json: ${k} of ${it.iso3}`);
  }
  check(['Africa', 'Americas', 'Asia', 'Europe', 'Oceania'].includes(it.region), `member-states.json: region ${it.region} (${it.iso3})`);
}
const sortedIso = ms.items.map((i) => i.iso3);
check(sortedIso.every((c, i) => i === 0 || sortedIso[i - 1] < c), 'member-states.json: items sorted by iso3');
const memberIso3 = new Set(sortedIso);
for (const [iso, name] of [['AFG', 'Afghanistan'], ['USA', 'United States of America'], ['SSD', 'South Sudan']]) {
  check(memberIso3.has(iso), `member-states.json: contains ${iso} (${name})`);
}
for (const iso of ['VAT', 'PSE', 'COK', 'TWN', 'XKX']) {
  check(!memberIso3.has(iso), `member-states.json: does not contain non-member ${iso}`);
}

// ------------------------------------------------------------ instruments
const ui = load('universal-instruments.json');
eq(ui.items.length, 19, 'universal-instruments.json: number of instruments');
unique(ui.items, 'code', 'universal-instruments.json');
for (const it of ui.items) {
  const w = `universal-instruments.json ${it.code}`;
  check(/^\d{4}-[A-Z0-9]+(-[A-Z0-9]+)*$/.test(it.code), `${w}: code is upper-case YEAR-NAME`);
  check(Number.isInteger(it.year) && String(it.code).startsWith(String(it.year)), `${w}: year matches code`);
  for (const k of ['shortTitle', 'title', 'depositary']) check(typeof it[k] === 'string' && it[k].length > 0, `${w}: ${k}`);
  check(typeof it.inForce === 'boolean', `${w}: inForce is boolean`);
  if ('adoptedAt' in it) {
    check(isDate(it.adoptedAt), `${w}: adoptedAt is a date`);
    check(Math.abs(Number(it.adoptedAt.slice(0, 4)) - it.year) <= 1, `${w}: adoptedAt within a year of year`);
  }
  if ('entryIntoForce' in it) check(isDate(it.entryIntoForce) && it.inForce === true, `${w}: entryIntoForce date and inForce`);
}
eq(ui.items.filter((i) => i.year <= 2005).length, 16, 'universal-instruments.json: instruments up to 2005 (the 2009 report counts 16)');
eq(ui.items.filter((i) => i.year <= 2010).length, 18, 'universal-instruments.json: instruments up to 2010 (the 2013 report counts 18)');

// ------------------------------------------------------------ thematic areas
const ta = load('thematic-areas.json');
eq(ta.items.length, 14, 'thematic-areas.json: number of thematic areas');
unique(ta.items, 'code', 'thematic-areas.json');
for (const it of ta.items) {
  check(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(it.code), `thematic-areas.json: snake_case code ${it.code}`);
  check(typeof it.name === 'string' && it.name && typeof it.description === 'string' && it.description, `thematic-areas.json: name/description of ${it.code}`);
}
check(ta.items.some((i) => i.code === 'ratification'), 'thematic-areas.json: has "ratification"');

// ------------------------------------------------------------ delivery modalities
const dm = load('delivery-modalities.json');
const LEVELS = ['remote', 'national', 'bilateral', 'subregional', 'regional', 'international', 'online'];
const REPORTING = ['national', 'subregional', 'regional', 'international'];
check(dm.items.length >= 14, 'delivery-modalities.json: at least the 14 modalities of the brief');
unique(dm.items, 'code', 'delivery-modalities.json');
for (const it of dm.items) {
  check(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(it.code), `delivery-modalities.json: snake_case code ${it.code}`);
  check(LEVELS.includes(it.level), `delivery-modalities.json: level ${it.level} of ${it.code}`);
  check(REPORTING.includes(it.reportingLevel), `delivery-modalities.json: reportingLevel ${it.reportingLevel} of ${it.code}`);
}
for (const lvl of ['national', 'subregional', 'regional', 'international']) {
  check(dm.items.some((i) => i.level === lvl), `delivery-modalities.json: some modality at level ${lvl}`);
}

// ------------------------------------------------------------ partners
const po = load('partner-organisations.json');
const KINDS = ['un_entity', 'regional_body', 'international_organisation', 'standard_setter'];
unique(po.items, 'code', 'partner-organisations.json');
for (const it of po.items) {
  check(/^[A-Z0-9]+(-[A-Z0-9]+)*$/.test(it.code), `partner-organisations.json: upper-case code ${it.code}`);
  check(KINDS.includes(it.kind), `partner-organisations.json: kind ${it.kind} of ${it.code}`);
  check(typeof it.name === 'string' && it.name.length > 0, `partner-organisations.json: name of ${it.code}`);
  if (it.nameZh && Object.keys(flat).length) {
    const z = it.nameZh.replace(/\s+/g, '');
    const ids = citedReports(it.source).filter((id) => flat[id]);
    check(ids.some((id) => flat[id].includes(z)), `partner-organisations.json: ${it.code} "${it.nameZh}" occurs in a cited report (${ids.join(', ')})`);
  }
}
const BRIEF_PARTNERS = ['IAEA', 'ICAO', 'IMO', 'INTERPOL', 'IOM', 'IMF', 'WORLD-BANK', 'OHCHR', 'UNHCR', 'OPCW', 'FATF', 'CTITF', 'UNCCT',
  'AU', 'ACSRT', 'ASEAN', 'ECOWAS', 'IGAD', 'SADC', 'OAS-CICTE', 'OSCE', 'COE', 'EU', 'PIF', 'COI', 'LAS', 'SAARC'];
const poCodes = new Set(po.items.map((i) => i.code));
for (const c of BRIEF_PARTNERS) check(poCodes.has(c), `partner-organisations.json: brief partner ${c} present`);

// ------------------------------------------------------------ donors
const dn = load('donors.json');
unique(dn.items, 'code', 'donors.json');
eq(dn.items.filter((d) => d.kind === 'state').length, 22, 'donors.json: 22 donor States (report 000 §67)');
eq(dn.items.filter((d) => d.kind === 'organisation').length, 4, 'donors.json: 4 donor organisations (report 000 §67)');
for (const d of dn.items) {
  check(['state', 'organisation'].includes(d.kind), `donors.json: kind of ${d.code}`);
  if (d.kind === 'state') check(memberIso3.has(d.code), `donors.json: state donor ${d.code} is in member-states.json`);
  else check(poCodes.has(d.code), `donors.json: organisation donor ${d.code} is in partner-organisations.json`);
}
const donorCodes = new Set(dn.items.map((d) => d.code));

const dc = load('donor-contributions.json');
const years = Object.keys(dc.yearTotals ?? {});
eq(years.join(','), '1999,2003,2004,2005,2006,2007,2008,2009', 'donor-contributions.json: year columns (1999 = 1999-2002)');
eq(dc.grandTotal, 39024221, 'donor-contributions.json: grandTotal as printed');
unique(dc.items, (i) => `${i.donor}/${i.year}`, 'donor-contributions.json');
const rowSum = {};
const yearSum = {};
for (const it of dc.items) {
  check(donorCodes.has(it.donor), `donor-contributions.json: donor ${it.donor} is in donors.json`);
  check(years.includes(String(it.year)), `donor-contributions.json: year ${it.year} is a column`);
  check(Number.isInteger(it.amountUsd) && it.amountUsd > 0, `donor-contributions.json: amount ${it.amountUsd} (${it.donor} ${it.year})`);
  rowSum[it.donor] = (rowSum[it.donor] ?? 0) + it.amountUsd;
  yearSum[it.year] = (yearSum[it.year] ?? 0) + it.amountUsd;
}
eq(Object.keys(dc.rowTotals ?? {}).sort().join(','), [...donorCodes].sort().join(','), 'donor-contributions.json: a row total for every donor');
for (const [d, t] of Object.entries(dc.rowTotals ?? {})) eq(rowSum[d] ?? 0, t, `donor-contributions.json: row ${d} adds up to its total`);
for (const [y, t] of Object.entries(dc.yearTotals ?? {})) eq(yearSum[y] ?? 0, t, `donor-contributions.json: column ${y} adds up to its total`);
const sum = (o) => Object.values(o ?? {}).reduce((a, b) => a + b, 0);
eq(sum(dc.yearTotals), dc.grandTotal, 'donor-contributions.json: year totals add up to the grand total');
eq(sum(dc.rowTotals), dc.grandTotal, 'donor-contributions.json: row totals add up to the grand total');
eq(dc.items.reduce((a, i) => a + i.amountUsd, 0), dc.grandTotal, 'donor-contributions.json: all cells add up to the grand total');

// Against the annex text: each printed row, digits only, must be the row
// total followed by the row's cells in year order (so no figure is mistyped,
// dropped, reordered or moved to another donor).
if (reports['000']) {
  const annex = reports['000'].slice(reports['000'].search(/\n\s*附件\s*\n/));
  const lines = annex.split('\n');
  const byZh = new Map(dn.items.map((d) => [d.nameZh, d.code]));
  const digitsOfRow = new Map();
  let pending = '';
  for (const line of lines) {
    const m = /^\s*([^\d]+?)\s*((?:\d+\s*)+)$/.exec(line);
    if (!m) {
      // A label wrapped onto two lines ("欧洲安全与" / "合作组织 25 963 ...");
      // a blank line ends any pending label.
      pending = line.trim();
      continue;
    }
    const label = (pending + m[1]).replace(/\s+/g, '');
    pending = '';
    digitsOfRow.set(label, m[2].replace(/\s+/g, ''));
  }
  for (const d of dn.items) {
    const printed = digitsOfRow.get(d.nameZh);
    if (!check(printed !== undefined, `annex: row for ${d.nameZh} (${d.code}) found`)) continue;
    const cells = dc.items.filter((i) => i.donor === d.code).sort((a, b) => a.year - b.year).map((i) => i.amountUsd);
    eq([dc.rowTotals[d.code], ...cells].join(''), printed, `annex: digits of row ${d.code} = total + cells in year order`);
  }
  eq([dc.grandTotal, ...years.map((y) => dc.yearTotals[y])].join(''), digitsOfRow.get('总计'), 'annex: digits of the total row');
}

// ------------------------------------------------------------ CTED visits
const cv = load('cted-visits-with-unodc.json');
unique(cv.items, (i) => `${i.year}/${i.memberState}`, 'cted-visits-with-unodc.json');
eq(cv.items.filter((i) => i.year === 2009).length, 7, 'cted-visits-with-unodc.json: 2009 visits (report 000 §49(a))');
eq(cv.items.filter((i) => i.year === 2013).length, 10, 'cted-visits-with-unodc.json: 2013 visits (report 001 §68)');
for (const it of cv.items) {
  check(memberIso3.has(it.memberState), `cted-visits-with-unodc.json: ${it.memberState} is in member-states.json`);
  check(typeof it.source === 'string' && /§\d+/.test(it.source), `cted-visits-with-unodc.json: source paragraph for ${it.year} ${it.memberState}`);
  if (it.startDate || it.endDate) {
    check(isDate(it.startDate) && isDate(it.endDate) && it.startDate <= it.endDate && it.startDate.startsWith(String(it.year)),
      `cted-visits-with-unodc.json: dates of ${it.year} ${it.memberState}`);
  }
  if (it.nameZh && Object.keys(flat).length) {
    const [id] = citedReports(it.source);
    const para = Number(/§(\d+)/.exec(it.source)?.[1]);
    const text = paragraph(id, para);
    check(text !== null && text.includes(it.nameZh), `cted-visits-with-unodc.json: ${it.nameZh} in report ${id} §${para}`);
  }
}
if (flat['001']) {
  const p68 = paragraph('001', 68) ?? '';
  eq((p68.match(/（\d+月\d+日至\d+日）/g) ?? []).length, cv.items.filter((i) => i.year === 2013).length, 'report 001 §68: number of dated visits');
}

// ------------------------------------------------------------ states assisted 2009
const sa = load('states-assisted-2009.json');
eq(sa.items.length, 65, 'states-assisted-2009.json: 65 States (report 000 §7)');
unique(sa.items, 'iso3', 'states-assisted-2009.json');
const NON_MEMBERS_ALLOWED = new Set(['COK']); // Cook Islands, listed in report 000 §7
for (const it of sa.items) {
  if (memberIso3.has(it.iso3)) check(it.unMember !== false, `states-assisted-2009.json: ${it.iso3} is a member, not flagged unMember=false`);
  else check(NON_MEMBERS_ALLOWED.has(it.iso3) && it.unMember === false && it.note, `states-assisted-2009.json: ${it.iso3} not in member-states.json (only COK allowed, flagged unMember=false with a note)`);
}
if (flat['000']) {
  const p7 = paragraph('000', 7) ?? '';
  const list = p7.slice(p7.indexOf('：') + 1).replace(/。$/, '');
  const names = list.split('、').flatMap((s, i, a) => (i === a.length - 1 ? s.split('和') : [s]))
    .filter(Boolean);
  // "也门和赞比亚" is the last pair; no name in the list contains 和 except
  // 波斯尼亚和黑塞哥维那, which is not last.
  eq(names.length, 65, 'report 000 §7: names in the list');
  eq(sa.items.map((i) => i.nameZh).join('、'), names.join('、'), 'states-assisted-2009.json: nameZh list = report 000 §7, same order');
}

// ------------------------------------------------------------ summary
for (const f of failures) console.error(`FAIL ${f}`);
console.log(`validate: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
