import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

/** The binaries scripts/temporal-tools.sh installed (or the ones named by the environment). */
export function temporalBinary(kind: 'cli' | 'test-server'): string {
  return execFileSync(path.join(ROOT, 'scripts', 'temporal-path.sh'), [kind], { encoding: 'utf8' }).trim();
}
