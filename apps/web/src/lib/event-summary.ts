import type { Msg } from './messages';

/** One line of a timeline entry: a localised fact, or text a person wrote (shown as written). */
export type SummaryLine = { msg: Msg } | { text: string };

/** How the facts are worded in the current language. */
export interface SummaryFormat {
  t(key: string, params?: Record<string, unknown>): string;
  usd(n: number): string;
  number(n: number): string;
  date(iso: string): string;
  area(code: string): string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const arr = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);
const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/**
 * A human summary of a timeline event's payload: its key facts in the reader's language (stages,
 * amounts, counts, dates) and what people wrote, never the payload's field names.
 */
export function summariseEvent(type: string, payload: Record<string, unknown>, f: SummaryFormat): SummaryLine[] {
  const out: SummaryLine[] = [];
  const fact = (key: string, params?: Record<string, unknown>) => out.push({ msg: { key, params } });
  const text = (v: unknown) => {
    const s = str(v);
    if (s) out.push({ text: s });
  };
  const p = payload;

  if (str(p.from) && str(p.to))
    fact('timeline.stageChange', { from: f.t(`stage.${p.from}`), to: f.t(`stage.${p.to}`) });
  else if (str(p.stage)) fact('timeline.stage', { stage: f.t(`stage.${p.stage}`) });
  if (str(p.escalatedTo)) fact('timeline.escalatedTo', { role: f.t(`role.${p.escalatedTo}`) });

  const needs = arr(p.needs);
  if (needs?.length)
    fact('timeline.needs', {
      areas: needs.map((n) => f.area(String(rec(n).thematicArea ?? ''))).join(', '),
    });
  const consent = rec(p.consent);
  if (str(consent.grantedBy))
    fact('timeline.consent', {
      grantedBy: consent.grantedBy,
      grantedAt: str(consent.grantedAt) ? f.date(consent.grantedAt as string) : '—',
    });
  if (str(p.linkedFrom)) fact('timeline.followUpOf', { reference: p.linkedFrom });
  if (type === 'follow_up_opened' && str(p.reference)) fact('timeline.followUpOpened', { reference: p.reference });

  const questions = arr(p.questions);
  if (questions?.length) {
    fact('timeline.questions', { count: f.number(questions.length) });
    for (const q of questions) text(q);
  }
  text(p.answer);

  for (const r of arr(p.referrals) ?? []) {
    const ref = rec(r);
    const provider = rec(ref.provider);
    fact('timeline.referral', {
      needs: (arr(ref.needIds) ?? []).join(', '),
      provider: provider.kind === 'external' ? String(provider.name ?? '') : f.t('provider.unodc_tpb'),
    });
    text(ref.rationale);
  }
  if (str(p.referralId) && typeof p.delivered === 'boolean')
    fact('timeline.referralOutcome', {
      referral: p.referralId,
      result: f.t(p.delivered ? 'referral.delivered' : 'referral.notDelivered'),
    });

  const activities = arr(p.activities);
  if (activities)
    fact('timeline.planProposed', {
      count: f.number(activities.length),
      budget: f.usd(activities.reduce<number>((s, a) => s + (num(rec(a).budgetUsd) ?? 0), 0)),
    });
  if (num(p.planVersion) !== undefined) fact('timeline.planVersion', { version: f.number(p.planVersion as number) });

  if (num(p.amountUsd) !== undefined)
    fact('timeline.funding', {
      amount: f.usd(p.amountUsd as number),
      donor: str(p.donor) ?? '—',
      pledgeRef: str(p.pledgeRef) ?? '—',
    });
  if (num(p.fundedUsd) !== undefined && num(p.budgetUsd) !== undefined)
    fact('plan.fundedOf', { funded: f.usd(p.fundedUsd as number), budget: f.usd(p.budgetUsd as number) });
  else if (num(p.budgetUsd) !== undefined && !activities)
    fact('timeline.budget', { budget: f.usd(p.budgetUsd as number) });

  if (arr(p.ratifications) || arr(p.laws) || num(p.officialsTrained) !== undefined)
    fact('timeline.indicators', {
      ratifications: f.number(arr(p.ratifications)?.length ?? 0),
      laws: f.number(arr(p.laws)?.length ?? 0),
      officials: f.number(num(p.officialsTrained) ?? 0),
    });
  if (num(p.relevance) !== undefined && num(p.usefulness) !== undefined)
    fact('evaluation.scores', { relevance: p.relevance, usefulness: p.usefulness });
  if (str(p.outcome)) fact('timeline.outcome', { outcome: f.t(`outcome.${p.outcome}`) });

  if (str(p.startDate) && str(p.endDate))
    fact('timeline.dates', { start: f.date(p.startDate as string), end: f.date(p.endDate as string) });
  if (str(p.deliveredOn)) fact('activity.deliveredOn', { date: f.date(p.deliveredOn as string) });
  text(p.title);
  text(p.place);
  text(p.summary);
  text(p.comments);
  text(p.notes);
  text(p.reason);
  return out;
}
