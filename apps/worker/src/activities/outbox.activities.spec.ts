import { MockActivityEnvironment } from '@temporalio/testing';
import { loadConfig } from '@app/common';
import type { DispatchOutcome } from '@app/contracts';
import type { EmailOutboxRepository, WebhookRepository } from '@app/persistence';
import { OutboxActivitiesImpl } from './outbox.activities';

describe('outbox dispatcher activity', () => {
  it('sends one message at a time in a process: a retried attempt takes over from the one still running', async () => {
    const impl = new OutboxActivitiesImpl(
      {} as EmailOutboxRepository,
      {} as WebhookRepository,
      loadConfig({ NOTIFY_POLL_MS: '50' }),
    );
    let inFlight = 0;
    let most = 0;
    const sentBy: string[] = [];
    let sender = '';
    // A slow SMTP server: each send takes 20 ms; there is always mail to send.
    const slowSend = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      const who = sender;
      await new Promise((r) => setTimeout(r, 20));
      sentBy.push(who);
      inFlight--;
      return true;
    };
    Object.assign(impl, { email: { sendOne: slowSend }, webhooks: { sendOne: async () => false } });

    sender = 'first';
    const first = new MockActivityEnvironment().run(impl.dispatchOutbox.bind(impl), { maxMs: 2_000 });
    await new Promise((r) => setTimeout(r, 70));
    sender = 'retry';
    const retry = new MockActivityEnvironment().run(impl.dispatchOutbox.bind(impl), { maxMs: 100 });
    const [a, b] = (await Promise.all([first, retry])) as DispatchOutcome[];

    expect(most).toBe(1);
    // The first run stopped after the message it was sending; the retry ran its whole time after it.
    expect(a.emails).toBeGreaterThanOrEqual(3);
    expect(a.emails).toBeLessThan(10);
    expect(b.emails).toBeGreaterThanOrEqual(3);
    expect(sentBy.lastIndexOf('first')).toBeLessThan(sentBy.indexOf('retry'));
  });
});
