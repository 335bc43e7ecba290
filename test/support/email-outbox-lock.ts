import { Client } from 'pg';
import { readTestEnv } from './test-env';

/**
 * Runs the e2e files that send e-mail one at a time. They share the test database's outbox and
 * each file's worker dispatches whatever is due there (as production workers do), so two files at
 * once would send each other's messages to their own SMTP sinks, and each file's start skips the
 * other's pending rows. Jest runs one file at a time on this 2-core machine (cores − 1 workers);
 * on a machine with more cores it runs several, and these files would wait in vain. Call it first
 * in beforeAll (it may wait for another file's whole run); call the function it returns last in
 * afterAll, once the file's workers are stopped. Holding it, it skips the e-mails earlier test
 * files left pending (files without an SMTP server leave theirs): the file's own dispatcher, started
 * next, would send those first.
 */
export async function takeEmailOutbox(): Promise<() => Promise<void>> {
  const client = new Client({ connectionString: readTestEnv().databaseUrl });
  await client.connect();
  await client.query(`SELECT pg_advisory_lock(hashtext('ctap-e2e-email-outbox'))`);
  await client.query(
    `UPDATE email_outbox SET status = 'skipped', last_error = 'left by an earlier test file' WHERE status = 'pending'`,
  );
  // Ending the session releases its advisory locks (also if this process dies).
  return () => client.end();
}

/** How long a file may wait for the outbox: the other mail-sending files' whole runs. */
export const EMAIL_OUTBOX_WAIT_MS = 600_000;
