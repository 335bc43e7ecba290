import { existsSync } from 'fs';
import { temporalBinary } from './temporal-binaries';

export default async function setup(): Promise<void> {
  const bin = temporalBinary('test-server');
  if (!existsSync(bin))
    throw new Error(`Temporal test server not found at ${bin}: run scripts/temporal-tools.sh (make test does)`);
}
