import { DomainError } from './domain-error';
import { allowedActivityActions, checkReport, checkReschedule, latestPossibleDate } from './delivery-activity';
import { isCalendarDate } from './schemas/primitives';
import { validateDecision } from './decision-checks';
import { initialState } from './submission';
import { Role, Stage } from './stage';

const UNODC = { userId: 'u', role: Role.UnodcManager };
const NOW = Date.parse('2026-11-29T12:00:00Z');
const scheduled = { status: 'scheduled' as const, startDate: '2026-03-01', participatingStates: ['KEN'] };
const report = (deliveredOn: string) => ({
  decisionId: 'd',
  actor: UNODC,
  deliveredOn,
  participantsByState: { KEN: 3 },
  officialsTrainedByProfession: {},
  outputs: [],
});
const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (err) {
    return err instanceof DomainError ? err.message : String(err);
  }
  return undefined;
};

describe('delivery activity rules', () => {
  it('knows real calendar dates Postgres can store', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    for (const d of ['2027-02-30', '2026-13-01', '0000-01-01', '2026-2-1', '20260101'])
      expect(isCalendarDate(d)).toBe(false);
  });

  it('refuses a delivery in the future, allowing the date that is already today somewhere (UTC+14)', () => {
    expect(latestPossibleDate(NOW)).toBe('2026-11-30');
    expect(refusal(() => checkReport(scheduled, report('2026-11-30'), NOW))).toBeUndefined();
    expect(refusal(() => checkReport(scheduled, report('2026-12-01'), NOW))).toBe(
      'deliveredOn must not be in the future',
    );
    expect(refusal(() => checkReport(scheduled, report('2027-02-30'), NOW))).toMatch(
      /^deliveredOn must be a date YYYY-MM-DD/,
    );
  });

  it('refuses a delivery before the activity starts; a reschedule moves that bound', () => {
    expect(refusal(() => checkReport(scheduled, report('2026-02-28'), NOW))).toMatch(
      /before the activity's start date 2026-03-01/,
    );
    const moved = { ...scheduled, startDate: '2026-06-01' };
    expect(refusal(() => checkReport(moved, report('2026-05-31'), NOW))).toMatch(
      /before the activity's start date 2026-06-01/,
    );
    expect(refusal(() => checkReport(moved, report('2026-06-01'), NOW))).toBeUndefined();
  });

  it('refuses to reschedule or report a delivered activity', () => {
    const delivered = { ...scheduled, status: 'delivered' as const };
    expect(refusal(() => checkReport(delivered, report('2026-03-02'), NOW))).toBe('activity is already delivered');
    expect(
      refusal(() =>
        checkReschedule(delivered, {
          decisionId: 'r',
          actor: UNODC,
          startDate: '2026-04-01',
          endDate: '2026-04-02',
          reason: 'x',
        }),
      ),
    ).toBe('activity is already delivered');
  });

  it('refuses indicators dated in the future (the workflow clock), and accepts them dated today', () => {
    const state = initialState({
      requestId: 'r',
      reference: 'CTAP-2026-000001',
      title: 't',
      memberState: 'KEN',
      region: 'Africa',
      origin: 'member_state',
      needs: [{ id: 'need-1', thematicArea: 'legislative_incorporation', description: 'd', modalities: [] }],
      submittedAt: NOW,
    });
    state.stage = Stage.Delivery;
    const indicators = (depositedOn: string, date: string) => ({
      decisionId: 'i',
      type: 'record_indicators' as const,
      actor: UNODC,
      payload: {
        ratifications: [{ instrument: '2005-NUCLEAR-TERRORISM' as const, depositedOn }],
        laws: [{ title: 'Act', status: 'adopted' as const, date }],
      },
    });
    expect(refusal(() => validateDecision(state, indicators('2026-11-29', '2026-11-01'), NOW))).toBeUndefined();
    expect(refusal(() => validateDecision(state, indicators('2027-06-01', '2026-11-01'), NOW))).toBe(
      'ratifications[0].depositedOn must not be in the future',
    );
    expect(refusal(() => validateDecision(state, indicators('2026-06-01', '2026-12-24'), NOW))).toBe(
      'laws[0].date must not be in the future',
    );
  });
});

describe('allowedActivityActions: what the application offers on an activity', () => {
  it.each([
    [Role.UnodcManager, 'scheduled', ['report_delivered', 'reschedule', 'cancel']],
    [Role.UnodcSupervisor, 'scheduled', ['report_delivered', 'reschedule', 'cancel']],
    [Role.UnodcManager, 'delivered', []],
    [Role.UnodcManager, 'cancelled', []],
    [Role.CtedOfficer, 'scheduled', []],
    [Role.MemberState, 'scheduled', []],
  ])('%s on a %s activity: %j', (role, status, expected) => {
    expect(allowedActivityActions({ status }, { role })).toEqual(expected);
  });
});
