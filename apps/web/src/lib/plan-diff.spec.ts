import type { RequestDetail, Schemas } from '../api/client';
import { diffPlans, planVersions } from './plan-diff';

type Activity = Schemas['PlannedActivity'];
const activity = (key: string, overrides: Partial<Activity> = {}): Activity => ({
  key,
  title: `Workshop ${key}`,
  modality: 'national_training_workshop',
  thematicArea: 'legislative_incorporation',
  startDate: '2026-03-01',
  endDate: '2026-03-02',
  place: 'Nairobi',
  participatingStates: ['KEN'],
  partners: [],
  budgetUsd: 10_000,
  ...overrides,
});
const event = (type: string, payload: Record<string, unknown>) =>
  ({ type, payload }) as unknown as RequestDetail['timeline'][number];

describe('work plan versions and their differences', () => {
  it('numbers the proposed plans in the order of the timeline, ignoring other decisions', () => {
    const v1 = [activity('a1')];
    const v2 = [activity('a1', { budgetUsd: 12_000 })];
    const timeline = [
      event('submitted', {}),
      event('propose_plan', { activities: v1 }),
      event('request_plan_revision', { planVersion: 1, comments: 'Cheaper' }),
      event('propose_plan', { activities: v2 }),
    ];
    expect(planVersions(timeline)).toEqual([
      { version: 1, activities: v1 },
      { version: 2, activities: v2 },
    ]);
  });

  it('lists the activities added, removed and each field changed, by activity key', () => {
    const before = [activity('a1'), activity('a2')];
    const after = [
      activity('a1', { budgetUsd: 25_000, participatingStates: ['KEN', 'UGA'] }),
      activity('a3', { title: 'Judges training' }),
    ];
    const d = diffPlans(before, after);
    expect(d.added.map((a) => a.key)).toEqual(['a3']);
    expect(d.removed.map((a) => a.key)).toEqual(['a2']);
    expect(d.changed).toEqual([
      { key: 'a1', title: 'Workshop a1', field: 'participatingStates', from: ['KEN'], to: ['KEN', 'UGA'] },
      { key: 'a1', title: 'Workshop a1', field: 'budgetUsd', from: 10_000, to: 25_000 },
    ]);
    expect(diffPlans(before, before)).toEqual({ added: [], removed: [], changed: [] });
  });
});
