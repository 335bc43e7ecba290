import { activity, actors, deliveredReport, requestInDelivery } from './api-fixtures';
import { useStack } from './support/test-stack';

jest.setTimeout(180_000);

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Facts carry real dates: nothing is delivered or ratified in the future, or delivered before it starts. */
describe('real-world dates', () => {
  const stack = useStack('real-dates');

  it('refuses a delivery in the future or before the start; a reschedule moves the lower bound', async () => {
    const a = actors(stack);
    const ref = await requestInDelivery(stack, [activity('a1'), activity('a2', { budgetUsd: 15000 })]);
    const path = `/api/v1/requests/${ref}/activities`;

    const future = await a.unodc.post(`${path}/a1/actions/report-delivered`, {
      ...deliveredReport,
      deliveredOn: inDays(3),
    });
    expect(future.status).toBe(422);
    expect(future.body.errors[0]).toMatchObject({
      field: 'deliveredOn',
      reason: 'deliveredOn must not be in the future',
    });

    const early = await a.unodc.post(`${path}/a1/actions/report-delivered`, {
      ...deliveredReport,
      deliveredOn: '2026-02-27',
    });
    expect(early.status).toBe(422);
    expect(early.body.errors[0].field).toBe('deliveredOn');

    const moved = await a.unodc.post(`${path}/a2/actions/reschedule`, {
      startDate: '2026-04-10',
      endDate: '2026-04-12',
      reason: 'Moved after the elections',
    });
    expect(moved.status).toBe(200);
    const beforeMoved = await a.unodc.post(`${path}/a2/actions/report-delivered`, deliveredReport);
    expect(beforeMoved.status).toBe(422);
    expect(beforeMoved.body.detail).toMatch(/2026-04-10/);

    expect((await a.unodc.post(`${path}/a1/actions/report-delivered`, deliveredReport)).status).toBe(200);
    const a2 = await a.unodc.post(`${path}/a2/actions/report-delivered`, {
      ...deliveredReport,
      deliveredOn: '2026-04-12',
    });
    expect(a2.status).toBe(200);
    // A delivered activity is final: it cannot be rescheduled.
    const late = await a.unodc.post(`${path}/a2/actions/reschedule`, {
      startDate: '2026-05-10',
      endDate: '2026-05-12',
      reason: 'too late',
    });
    expect(late.status).toBe(409);

    const indicators = await a.unodc.post(`/api/v1/requests/${ref}/actions/record-indicators`, {
      ratifications: [{ instrument: '2005-NUCLEAR-TERRORISM', depositedOn: inDays(30) }],
    });
    expect(indicators.status).toBe(422);
    expect(indicators.body.errors[0].field).toBe('ratifications[0].depositedOn');
  });
});
