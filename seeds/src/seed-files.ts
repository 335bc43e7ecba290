import { readFileSync } from 'fs';
import * as path from 'path';

export const SEED_DATA_DIR = path.join(__dirname, '..', 'data');

/** A reviewed reference-data file of seeds/data/: `{ source, items, ...extra }`. */
export type SeedFile<T, Extra = unknown> = { source: string; items: T[] } & Extra;

export function readSeedFile<T, Extra = unknown>(name: string): SeedFile<T, Extra> {
  return JSON.parse(readFileSync(path.join(SEED_DATA_DIR, name), 'utf8'));
}
