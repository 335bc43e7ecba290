import { runDemo } from '../seeds/src/demo';
import { DEMO_SCENARIOS, DemoTarget } from '../seeds/src/demo-scenarios';
import { useStack } from './support/test-stack';
import { waitFor } from './support/wait';

jest.setTimeout(300_000);

const EXPECTED: Record<DemoTarget, { stage: string; outcome: string | null; overdue?: boolean }> = {
  cted_review: { stage: 'cted_review', outcome: null },
  overdue_review: { stage: 'cted_review', outcome: null, overdue: true },
  awaiting_information: { stage: 'awaiting_information', outcome: null },
  lapsed: { stage: 'closed', outcome: 'lapsed' },
  declined: { stage: 'closed', outcome: 'declined' },
  external_pending: { stage: 'external_referral', outcome: null },
  external_delivered: { stage: 'closed', outcome: 'referred_externally_delivered' },
  external_not_delivered: { stage: 'closed', outcome: 'referred_externally_not_delivered' },
  plan_proposed: { stage: 'unodc_planning', outcome: null },
  awaiting_funding: { stage: 'awaiting_funding', outcome: null },
  delivery: { stage: 'delivery', outcome: null },
  follow_up: { stage: 'follow_up_evaluation', outcome: null },
  completed: { stage: 'closed', outcome: 'completed' },
  completed_with_follow_up: { stage: 'closed', outcome: 'completed' },
  withdrawn: { stage: 'closed', outcome: 'withdrawn' },
  evaluation_not_received: { stage: 'closed', outcome: 'evaluation_not_received' },
};

/** The demo over the real API and workflows, with a short demonstration "day" so deadlines pass in seconds. */
describe('demo loader', () => {
  const stack = useStack('demo');

  it('leaves requests in every stage and with every outcome', async () => {
    const lines: string[] = [];
    const { created } = await runDemo({ dayMs: 150, log: (l) => lines.push(l) });
    expect(created).toHaveLength(DEMO_SCENARIOS.length);
    expect(lines.filter((l) => /^demo \[/.test(l))).toHaveLength(DEMO_SCENARIOS.length);

    const refs = created.map((c) => c.reference);
    const rows = async () =>
      new Map<string, { stage: string; outcome: string | null; overdue: boolean }>(
        (
          (await stack.ds.query(
            'SELECT reference, stage, outcome, overdue FROM assistance_requests WHERE reference = ANY($1)',
            [refs],
          )) as any[]
        ).map((r) => [r.reference, r]),
      );
    await waitFor(async () => {
      const now = await rows();
      return created.every(({ reference, target }) => {
        const r = now.get(reference);
        const want = EXPECTED[target];
        return (
          r &&
          r.stage === want.stage &&
          r.outcome === want.outcome &&
          (want.overdue === undefined || r.overdue === want.overdue)
        );
      });
    }, 120_000);

    const final = await rows();
    const stages = new Set([...final.values()].map((r) => r.stage));
    expect([...stages].sort()).toEqual([
      'awaiting_funding',
      'awaiting_information',
      'closed',
      'cted_review',
      'delivery',
      'external_referral',
      'follow_up_evaluation',
      'unodc_planning',
    ]);
    const outcomes = new Set([...final.values()].map((r) => r.outcome).filter(Boolean));
    expect(outcomes.size).toBe(7);
    // The follow-up opened by an evaluation is a real, linked request.
    const [followUp] = await stack.ds.query(
      `SELECT stage, linked_from FROM assistance_requests WHERE linked_from = ANY($1)`,
      [refs],
    );
    expect(followUp).toMatchObject({ stage: 'cted_review' });
  });
});
