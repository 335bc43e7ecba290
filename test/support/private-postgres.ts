import { execFileSync, spawnSync } from 'child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'fs';
import { tmpdir, userInfo } from 'os';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { dataSourceOptions, ensureDatabase } from '@app/persistence';
import { loadDevAccounts, loadMemberStates, loadReferenceData } from '../../seeds/src/seed-loaders';
import { freePort } from './ports';

/** initdb and pg_ctl: PG_BIN if set, else the newest /usr/lib/postgresql/<version>/bin, else pg_config's. */
function pgBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length) return path.join(root, versions[0], 'bin');
  return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
}

/**
 * A Postgres cluster of the test's own, on a free port, that the test may stop and restart at will.
 * initdb refuses to run as root: as root, the cluster belongs to the `postgres` system user.
 */
export class PrivatePostgres {
  readonly dir: string;
  readonly url: string;
  private readonly bin = pgBin();
  private readonly asUser = userInfo().uid === 0 ? 'postgres' : undefined;

  private constructor(
    readonly port: number,
    database: string,
  ) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'ctap-pg-'));
    this.url = `postgres://postgres@127.0.0.1:${port}/${database}`;
  }

  /** Creates, starts, migrates and seeds a cluster with one database. */
  static async create(database: string): Promise<PrivatePostgres> {
    const pg = new PrivatePostgres(await freePort(), database);
    if (pg.asUser) {
      const uid = Number(execFileSync('id', ['-u', pg.asUser], { encoding: 'utf8' }));
      const gid = Number(execFileSync('id', ['-g', pg.asUser], { encoding: 'utf8' }));
      chownSync(pg.dir, uid, gid);
    }
    pg.run('initdb', ['-D', pg.data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    pg.start();
    await ensureDatabase(pg.url);
    const ds = await new DataSource(dataSourceOptions(pg.url)).initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
      await loadMemberStates(ds);
      await loadReferenceData(ds);
      await loadDevAccounts(ds);
    } finally {
      await ds.destroy();
    }
    return pg;
  }

  private get data(): string {
    return path.join(this.dir, 'data');
  }

  private run(tool: string, args: string[]): void {
    const [cmd, argv] = this.asUser
      ? ['runuser', ['-u', this.asUser, '--', path.join(this.bin, tool), ...args]]
      : [path.join(this.bin, tool), args];
    const out = spawnSync(cmd, argv, { encoding: 'utf8', cwd: this.dir });
    if (out.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed: ${out.stderr || out.stdout}`);
  }

  /** Starts the server and waits until it accepts connections. */
  start(): void {
    this.run('pg_ctl', [
      '-D',
      this.data,
      '-l',
      path.join(this.dir, 'server.log'),
      '-w',
      '-t',
      '30',
      '-o',
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`,
      'start',
    ]);
  }

  /**
   * Stops the server: `fast` ends every session with 57P01 (admin shutdown) and checkpoints;
   * `immediate` drops everything as a crash would, recovering from the WAL at the next start.
   */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    this.run('pg_ctl', ['-D', this.data, '-m', mode, '-w', 'stop']);
  }

  /** Stops the cluster and deletes its files. */
  destroy(): void {
    try {
      this.stop('immediate');
    } catch {
      // not running
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
