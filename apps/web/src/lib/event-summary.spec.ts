import { summariseEvent, type SummaryFormat } from './event-summary';

const f: SummaryFormat = {
  t: (k) => `<${k}>`,
  usd: (n) => `$${n}`,
  number: (n) => `#${n}`,
  date: (d) => `d:${d}`,
  area: (c) => `area:${c}`,
};
const keysOf = (lines: ReturnType<typeof summariseEvent>) => JSON.stringify(lines);

describe('timeline summaries', () => {
  it('says what was submitted in words, not the payload keys', () => {
    const payload = {
      reference: 'CTAP-2026-000001',
      memberState: 'KEN',
      origin: 'member_state',
      needs: [{ thematicArea: 'legislative_incorporation' }, { thematicArea: 'ratification' }],
      consent: null,
      linkedFrom: null,
    };
    const lines = summariseEvent('submitted', payload, f);
    expect(lines).toEqual([
      { msg: { key: 'timeline.needs', params: { areas: 'area:legislative_incorporation, area:ratification' } } },
    ]);
    for (const k of ['memberState', 'origin', 'linkedFrom', 'consent', 'reference'])
      expect(keysOf(lines)).not.toContain(k);
  });

  it('names the stages of a stage change in the language', () => {
    expect(summariseEvent('stage_changed', { from: 'cted_review', to: 'awaiting_information' }, f)).toEqual([
      {
        msg: {
          key: 'timeline.stageChange',
          params: { from: '<stage.cted_review>', to: '<stage.awaiting_information>' },
        },
      },
    ]);
  });

  it('counts the questions asked and shows each as written', () => {
    expect(summariseEvent('request_information', { questions: ['Which ministry?', 'When?\nBy whom?'] }, f)).toEqual([
      { msg: { key: 'timeline.questions', params: { count: '#2' } } },
      { text: 'Which ministry?' },
      { text: 'When?\nBy whom?' },
    ]);
  });

  it('formats a pledge, a plan version and a plan with its budget', () => {
    expect(summariseEvent('record_funding', { pledgeRef: 'P-1', donor: 'Norway', amountUsd: 250000 }, f)).toEqual([
      { msg: { key: 'timeline.funding', params: { amount: '$250000', donor: 'Norway', pledgeRef: 'P-1' } } },
    ]);
    expect(summariseEvent('request_plan_revision', { planVersion: 2, comments: 'Cheaper' }, f)).toEqual([
      { msg: { key: 'timeline.planVersion', params: { version: '#2' } } },
      { text: 'Cheaper' },
    ]);
    expect(summariseEvent('propose_plan', { activities: [{ budgetUsd: 10000 }, { budgetUsd: 5000 }] }, f)[0]).toEqual({
      msg: { key: 'timeline.planProposed', params: { count: '#2', budget: '$15000' } },
    });
  });

  it('shows nothing for an empty payload', () => {
    expect(summariseEvent('approve_plan', {}, f)).toEqual([]);
  });
});
