import { Client } from 'pg';
import { readTestEnv } from './test-env';

/**
 * Marks the e-mails earlier test files left pending as skipped: files without an SMTP server leave
 * theirs in the outbox, and a mail-sending file's own dispatcher, started next, would send those
 * first. Call it first in beforeAll. Two files never share an outbox at once: each Jest worker has
 * its own database (test/support/e2e-global-setup.ts) and runs one file at a time.
 */
export async function skipEarlierEmails(): Promise<void> {
  const client = new Client({ connectionString: readTestEnv().databaseUrl });
  await client.connect();
  try {
    await client.query(
      `UPDATE email_outbox SET status = 'skipped', last_error = 'left by an earlier test file' WHERE status = 'pending'`,
    );
  } finally {
    await client.end();
  }
}
