import { readFileSync, readdirSync, statSync } from 'fs';
import * as path from 'path';
import { NOTIFICATION_KINDS } from '../../../../libs/domain/src/notifications';
import { OUTCOMES, ROLES, STAGES } from '../lib/labels';
import ar from './locales/ar.json';
import en from './locales/en.json';
import es from './locales/es.json';
import fr from './locales/fr.json';
import ru from './locales/ru.json';
import zh from './locales/zh.json';

type Tree = { [k: string]: string | Tree };
const LOCALES: Record<string, Tree> = { ar, zh, en, fr, ru, es };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(f) && !f.endsWith('.spec.ts') && !f.endsWith('.d.ts') ? [p] : [];
  });
}

describe('translations', () => {
  const english = flatten(en);

  it.each(Object.keys(LOCALES))('%s has every key, each non-empty, with the same placeholders as English', (lang) => {
    const keys = flatten(LOCALES[lang]);
    expect([...english.keys()].filter((k) => !keys.has(k))).toEqual([]);
    expect([...keys.keys()].filter((k) => !english.has(k))).toEqual([]);
    for (const [k, v] of keys) {
      expect({ key: k, empty: v.trim() === '' }).toEqual({ key: k, empty: false });
      expect({ key: k, placeholders: placeholders(v) }).toEqual({
        key: k,
        placeholders: placeholders(english.get(k)!),
      });
    }
  });

  it('has a string for every key the code uses, and for every stage, outcome, role and notification kind', () => {
    const used = new Set<string>();
    for (const file of sources(path.join(__dirname, '..'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) used.add(m[1]);
    }
    for (const s of STAGES) used.add(`stage.${s}`);
    for (const o of OUTCOMES) used.add(`outcome.${o}`);
    for (const r of ROLES) used.add(`role.${r}`);
    for (const k of NOTIFICATION_KINDS) used.add(`notifications.kind.${k}`);
    expect(used.size).toBeGreaterThan(150);
    expect([...used].filter((k) => !english.has(k)).sort()).toEqual([]);
  });
});
