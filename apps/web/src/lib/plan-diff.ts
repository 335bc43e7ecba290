import type { RequestDetail, Schemas } from '../api/client';

type Activity = Schemas['PlannedActivity'];
const FIELDS = [
  'title',
  'modality',
  'thematicArea',
  'startDate',
  'endDate',
  'place',
  'participatingStates',
  'partners',
  'budgetUsd',
] as const;

/** Every proposed plan version, from the propose_plan decisions in the timeline. */
export function planVersions(timeline: RequestDetail['timeline']): { version: number; activities: Activity[] }[] {
  return timeline
    .filter((e) => e.type === 'propose_plan' && Array.isArray(e.payload.activities))
    .map((e, i) => ({ version: i + 1, activities: e.payload.activities as Activity[] }));
}

export function diffPlans(before: Activity[], after: Activity[]) {
  const old = new Map(before.map((a) => [a.key, a]));
  const now = new Map(after.map((a) => [a.key, a]));
  const changed: { key: string; title: string; field: string; from: unknown; to: unknown }[] = [];
  for (const a of after) {
    const b = old.get(a.key);
    if (!b) continue;
    for (const field of FIELDS) {
      if (JSON.stringify(a[field]) !== JSON.stringify(b[field]))
        changed.push({ key: a.key, title: a.title, field, from: b[field], to: a[field] });
    }
  }
  return {
    added: after.filter((a) => !old.has(a.key)),
    removed: before.filter((a) => !now.has(a.key)),
    changed,
  };
}
