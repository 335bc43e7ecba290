import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  List,
  Loader,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { ApiError, api, unwrap, type RequestDetail, type Schemas } from '../api/client';
import { ActivityForm } from '../components/activity-forms';
import { AssignmentPanel, isAssignmentAction } from '../components/assignment-panel';
import { DecisionForm } from '../components/decision-forms';
import { useFormat } from '../lib/format';
import { planVersions, diffPlans } from '../lib/plan-diff';
import { useReferenceData } from '../lib/reference-data';

export function Component() {
  const { reference = '' } = useParams();
  const { t } = useTranslation();
  const detail = useQuery({
    queryKey: ['request', reference],
    queryFn: async () => unwrap(await api.GET('/api/v1/requests/{reference}', { params: { path: { reference } } })),
  });
  if (detail.isLoading) return <Loader role="status" aria-label={t('common.loading')} />;
  if (detail.error) {
    const notFound = detail.error instanceof ApiError && (detail.error.status === 404 || detail.error.status === 400);
    return (
      <Stack>
        <Title order={1}>{notFound ? t('notFound.title') : t('errors.generic')}</Title>
        <Alert color="red" role="alert" data-testid="request-not-found">
          {notFound ? t('request.notFound', { reference }) : t('errors.generic')}
        </Alert>
      </Stack>
    );
  }
  return <RequestView request={detail.data!} />;
}

function RequestView({ request }: { request: RequestDetail }) {
  const { t } = useTranslation();
  const f = useFormat();
  const ref = useReferenceData();
  const reference = request.reference;
  const path = { params: { path: { reference } } };
  const referrals = useQuery({
    queryKey: ['request', reference, 'referrals'],
    queryFn: async () => unwrap(await api.GET('/api/v1/requests/{reference}/referrals', path)),
  });
  const workPlan = useQuery({
    queryKey: ['request', reference, 'work-plan'],
    queryFn: async () => unwrap(await api.GET('/api/v1/requests/{reference}/work-plan', path)),
  });
  const activities = useQuery({
    queryKey: ['request', reference, 'activities'],
    queryFn: async () => unwrap(await api.GET('/api/v1/requests/{reference}/activities', path)),
  });
  // A report's drill-down links to an activity (#activity-<key>): shown once the activities have loaded.
  const { hash } = useLocation();
  useEffect(() => {
    if (activities.data && hash.startsWith('#activity-')) document.getElementById(hash.slice(1))?.scrollIntoView();
  }, [activities.data, hash]);
  const evaluation = useQuery({
    queryKey: ['request', reference, 'evaluation'],
    queryFn: async () => unwrap(await api.GET('/api/v1/requests/{reference}/evaluation', path)),
  });
  const [decision, setDecision] = useState<string | null>(null);
  const [activityAction, setActivityAction] = useState<{
    key: string;
    kind: 'report-delivered' | 'reschedule' | 'cancel';
  } | null>(null);
  const plan = workPlan.data?.plan ?? null;
  // Claim, assign and unassign have their own controls (AssignmentPanel).
  const decisions = request.allowedActions.filter((a) => !isAssignmentAction(a));
  const areaName = (code: string) => ref.data?.thematicAreas.find((a) => a.code === code)?.name ?? code;
  const modalityName = (code: string) => ref.data?.modalities.find((m) => m.code === code)?.name ?? code;

  return (
    <Stack>
      <header>
        <Text c="dimmed" size="sm">
          {reference}
        </Text>
        <Title order={1}>{request.title}</Title>
        <Group gap="xs" mt="xs" wrap="wrap">
          <Text span fw={700} className="pill" data-testid="stage">
            {t(`stage.${request.stage}`)}
          </Text>
          {request.outcome && (
            <Text span fw={700} className="pill" data-testid="outcome">
              {t(`outcome.${request.outcome}`)}
            </Text>
          )}
          {request.overdue && <Badge color="red.9">{t('request.overdue')}</Badge>}
          <Text size="sm">
            {ref.stateName(request.memberState)} · {t(`region.${request.region}`)} · {t(`origin.${request.origin}`)}
          </Text>
        </Group>
        <Text mt="xs" data-testid="owner">
          {request.owner ? t('request.waitingOn', { role: t(`role.${request.owner}`) }) : t('request.nobodyActs')}
        </Text>
        <AssignmentPanel request={request} />
        <ConsentLine request={request} />
        {request.linkedFrom && (
          <Text size="sm">
            {t('request.followUpOf')}{' '}
            <Anchor component={Link} to={`/requests/${request.linkedFrom}`}>
              {request.linkedFrom}
            </Anchor>
          </Text>
        )}
      </header>

      {/* An open form stays until closed, so a refusal (409: someone acted first) stays readable after the reload. */}
      {(decisions.length > 0 || decision !== null) && (
        <section aria-labelledby="decisions-title">
          <Title order={2} size="h3" id="decisions-title">
            {t('decision.title')}
          </Title>
          <Group gap="xs" mt="xs" wrap="wrap">
            {decisions.map((a) => (
              <Button
                key={a}
                variant={decision === a ? 'filled' : 'light'}
                onClick={() => setDecision(decision === a ? null : a)}
                aria-expanded={decision === a}
              >
                {t(`decision.${a}`)}
              </Button>
            ))}
          </Group>
          {decision && (
            <div style={{ marginTop: 12 }}>
              <DecisionForm
                key={decision}
                type={decision}
                ctx={{ request, referrals: referrals.data?.items ?? [], plan, onClose: () => setDecision(null) }}
              />
            </div>
          )}
        </section>
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Section title={t('section.needs')} id="needs">
          <List>
            {request.needs.map((n) => (
              <List.Item key={n.id}>
                <Text fw={600} span>
                  {n.id} · {areaName(n.thematicArea)}
                </Text>
                <Text size="sm">{n.description}</Text>
                {n.modalities.length > 0 && (
                  <Text size="sm" c="dimmed">
                    {n.modalities.map(modalityName).join(', ')}
                  </Text>
                )}
              </List.Item>
            ))}
          </List>
        </Section>

        <Section title={t('section.deadlines')} id="deadlines">
          {request.clockStopped && (
            <Alert color="yellow.9" variant="light" mb="xs" data-testid="clock-stopped">
              {t('request.clockStopped')}
            </Alert>
          )}
          {request.upcoming.length === 0 ? (
            <Text>{t('request.noDeadlines')}</Text>
          ) : (
            <List>
              {request.upcoming.map((u) => (
                <List.Item key={`${u.kind}-${u.referralId ?? ''}-${u.at}`}>
                  {t(`deadline.${u.kind}`)}
                  {u.referralId ? ` (${u.referralId})` : ''} · {f.dateTime(u.at)}
                </List.Item>
              ))}
            </List>
          )}
        </Section>
      </SimpleGrid>

      <Section title={t('section.referrals')} id="referrals">
        {(referrals.data?.items ?? []).length === 0 ? (
          <Text>{t('request.noReferrals')}</Text>
        ) : (
          <Table.ScrollContainer minWidth={600}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('referral.id')}</Table.Th>
                  <Table.Th scope="col">{t('referral.needs')}</Table.Th>
                  <Table.Th scope="col">{t('referral.provider')}</Table.Th>
                  <Table.Th scope="col">{t('referral.rationale')}</Table.Th>
                  <Table.Th scope="col">{t('referral.outcome')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {referrals.data!.items.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>{r.id}</Table.Td>
                    <Table.Td>{r.needs.map((n) => n.id).join(', ')}</Table.Td>
                    <Table.Td>{r.provider.kind === 'external' ? r.provider.name : t('provider.unodc_tpb')}</Table.Td>
                    <Table.Td>{r.rationale}</Table.Td>
                    <Table.Td>
                      {r.outcome
                        ? `${r.outcome.delivered ? t('referral.delivered') : t('referral.notDelivered')} · ${r.outcome.notes}`
                        : t('referral.pending')}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Section>

      <Section title={t('section.workPlan')} id="work-plan">
        {!plan ? (
          <Text>{t('request.noPlan')}</Text>
        ) : (
          <Stack gap="xs">
            <Text>
              {t('plan.version', { version: plan.version })} · {t(`planStatus.${plan.status}`)} ·{' '}
              {plan.ctedConsulted ? t('plan.ctedConsulted') : t('plan.ctedNotConsulted')}
            </Text>
            {plan.revisionComments && (
              <Text size="sm">{t('plan.revisionComments', { comments: plan.revisionComments })}</Text>
            )}
            <FundingBar budget={plan.budgetUsd} funded={workPlan.data!.fundedUsd} />
            <ActivitiesTable activities={plan.activities} areaName={areaName} modalityName={modalityName} />
            <PlanHistory request={request} />
            {workPlan.data!.funding.length > 0 && (
              <>
                <Title order={3} size="h4">
                  {t('plan.funding')}
                </Title>
                <List>
                  {workPlan.data!.funding.map((fu) => (
                    <List.Item key={fu.pledgeRef}>
                      {fu.donor} · {fu.pledgeRef} · {f.usd(fu.amountUsd)} · {f.date(fu.recordedAt)}
                      {fu.released ? ` · ${t('plan.released')}` : ''}
                    </List.Item>
                  ))}
                </List>
              </>
            )}
          </Stack>
        )}
      </Section>

      <Section title={t('section.activities')} id="activities">
        {(activities.data?.items ?? []).length === 0 ? (
          <Text>{t('request.noActivities')}</Text>
        ) : (
          <Stack>
            {activities.data!.items.map((a) => (
              <Card withBorder key={a.key} data-testid={`activity-${a.key}`} id={`activity-${a.key}`}>
                <Group justify="space-between" wrap="wrap">
                  <Text fw={600}>
                    {a.title ?? a.key} · {t(`activityStatus.${a.status}`)}
                  </Text>
                  <Text size="sm">
                    {f.date(a.startDate)} – {f.date(a.endDate)} · {a.place}
                  </Text>
                </Group>
                {a.report && (
                  <Text size="sm">
                    {t('activity.deliveredOn', { date: f.date(a.report.deliveredOn) })} ·{' '}
                    {t('activity.participants', {
                      count: Object.values(a.report.participantsByState).reduce((s, n) => s + n, 0),
                    })}
                  </Text>
                )}
                {a.allowedActions.length > 0 && (
                  <Group gap="xs" mt="xs">
                    {(['report-delivered', 'reschedule', 'cancel'] as const).map((kind) => (
                      <Button
                        key={kind}
                        size="xs"
                        variant="light"
                        onClick={() => setActivityAction({ key: a.key, kind })}
                      >
                        {t(`activity.action.${kind}`)}
                      </Button>
                    ))}
                  </Group>
                )}
                {activityAction?.key === a.key && (
                  <div style={{ marginTop: 12 }}>
                    <ActivityForm
                      key={activityAction.kind}
                      kind={activityAction.kind}
                      request={request}
                      activity={a}
                      states={
                        plan?.activities.find((p) => p.key === a.key)?.participatingStates ?? [request.memberState]
                      }
                      onClose={() => setActivityAction(null)}
                    />
                  </div>
                )}
              </Card>
            ))}
          </Stack>
        )}
      </Section>

      <Section title={t('section.evaluation')} id="evaluation">
        <EvaluationView data={evaluation.data} areaName={areaName} />
      </Section>

      <Section title={t('section.timeline')} id="timeline">
        <Timeline request={request} />
      </Section>
    </Stack>
  );
}

function Section(props: { title: string; id: string; children: React.ReactNode }) {
  return (
    <Card withBorder component="section" aria-labelledby={`${props.id}-title`}>
      <Title order={2} size="h3" id={`${props.id}-title`} mb="xs">
        {props.title}
      </Title>
      {props.children}
    </Card>
  );
}

function FundingBar({ budget, funded }: { budget: number; funded: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const pct = budget > 0 ? Math.min(100, Math.round((funded / budget) * 100)) : 0;
  return (
    <div>
      <Text size="sm" id="funding-label">
        {t('plan.fundedOf', { funded: f.usd(funded), budget: f.usd(budget) })}
      </Text>
      <Progress value={pct} aria-labelledby="funding-label" color={pct >= 100 ? 'green.9' : 'blue.9'} />
    </div>
  );
}

function ActivitiesTable(props: {
  activities: Schemas['PlannedActivity'][];
  areaName(c: string): string;
  modalityName(c: string): string;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('form.activityTitle')}</Table.Th>
            <Table.Th scope="col">{t('form.modality')}</Table.Th>
            <Table.Th scope="col">{t('plan.dates')}</Table.Th>
            <Table.Th scope="col">{t('form.place')}</Table.Th>
            <Table.Th scope="col">{t('form.participatingStates')}</Table.Th>
            <Table.Th scope="col">{t('form.partners')}</Table.Th>
            <Table.Th scope="col">{t('form.budgetUsd')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.activities.map((a) => (
            <Table.Tr key={a.key}>
              <Table.Td>{a.title}</Table.Td>
              <Table.Td>{props.modalityName(a.modality)}</Table.Td>
              <Table.Td>
                {f.date(a.startDate)} – {f.date(a.endDate)}
              </Table.Td>
              <Table.Td>{a.place}</Table.Td>
              <Table.Td>{a.participatingStates.join(', ')}</Table.Td>
              <Table.Td>{a.partners.join(', ') || '—'}</Table.Td>
              <Table.Td>{f.usd(a.budgetUsd)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function PlanHistory({ request }: { request: RequestDetail }) {
  const { t } = useTranslation();
  const f = useFormat();
  const versions = planVersions(request.timeline);
  if (versions.length < 2) return null;
  return (
    <details>
      <summary>{t('plan.history', { count: versions.length })}</summary>
      {versions.slice(1).map((v, i) => {
        const d = diffPlans(versions[i].activities, v.activities);
        return (
          <div key={v.version} data-testid={`plan-diff-${v.version}`}>
            <Text fw={600} mt="xs">
              {t('plan.diffTitle', { from: versions[i].version, to: v.version })}
            </Text>
            <List size="sm">
              {d.added.map((a) => (
                <List.Item key={`a-${a.key}`}>{t('plan.added', { title: a.title })}</List.Item>
              ))}
              {d.removed.map((a) => (
                <List.Item key={`r-${a.key}`}>{t('plan.removed', { title: a.title })}</List.Item>
              ))}
              {d.changed.map((c) => (
                <List.Item key={`c-${c.key}-${c.field}`}>
                  {t('plan.changed', {
                    title: c.title,
                    field: t(`planField.${c.field}`),
                    from: format(c.from, f),
                    to: format(c.to, f),
                  })}
                </List.Item>
              ))}
              {d.added.length + d.removed.length + d.changed.length === 0 && (
                <List.Item>{t('plan.noChange')}</List.Item>
              )}
            </List>
          </div>
        );
      })}
    </details>
  );
}

function format(v: unknown, f: ReturnType<typeof useFormat>): string {
  if (typeof v === 'number') return f.number(v);
  if (Array.isArray(v)) return v.join(', ') || '—';
  return String(v ?? '—');
}

function EvaluationView({ data, areaName }: { data?: Schemas['EvaluationViewDto']; areaName(c: string): string }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!data) return null;
  const ind = data.indicators;
  return (
    <Stack gap="xs">
      {data.evaluation ? (
        <Text>
          {t('evaluation.scores', { relevance: data.evaluation.relevance, usefulness: data.evaluation.usefulness })} ·{' '}
          {data.evaluation.comments}
        </Text>
      ) : (
        <Text>{t('evaluation.none')}</Text>
      )}
      <Text>
        {t('evaluation.indicators', {
          ratifications: f.number(ind.ratifications.length),
          laws: f.number(ind.laws.length),
          officials: f.number(ind.officialsTrained),
        })}
      </Text>
      {data.evaluation?.furtherNeeds.map((n) => (
        <Text size="sm" key={n.id}>
          {t('evaluation.furtherNeed', { area: areaName(n.thematicArea), description: n.description })}
        </Text>
      ))}
      {data.followUps.length > 0 && (
        <Text data-testid="follow-ups">
          {t('evaluation.followUps')}{' '}
          {data.followUps.map((fu) => (
            <Anchor key={fu.reference} component={Link} to={`/requests/${fu.reference}`} me="xs">
              {fu.reference} ({t(`stage.${fu.stage}`)})
            </Anchor>
          ))}
        </Text>
      )}
    </Stack>
  );
}

function Timeline({ request }: { request: RequestDetail }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  return (
    <ol className="timeline" data-testid="timeline">
      {[...request.timeline].reverse().map((e) => (
        <li key={`${e.stream}-${e.seq}`}>
          <Text size="sm" fw={600}>
            {i18n.exists(`event.${e.type}`) ? t(`event.${e.type}`) : e.type}
            {e.stream !== 'request' ? ` · ${e.stream}` : ''}
          </Text>
          <Text size="xs" c="dimmed">
            {f.dateTime(e.at)} · {e.actorName ?? t('role.system')} ({t(`role.${e.actorRole}`)}
            {e.actorMemberState ? `, ${e.actorMemberState}` : ''})
          </Text>
          {Object.keys(e.payload).length > 0 && <PayloadView payload={e.payload} />}
        </li>
      ))}
    </ol>
  );
}

/** The decision's content, shown as it was recorded (field names as the API defines them). */
/** For a request CTED filed on a State's behalf: whose consent, given when, for what (the submitted event's). */
function ConsentLine({ request }: { request: RequestDetail }) {
  const { t } = useTranslation();
  const f = useFormat();
  const submitted = request.timeline.find((e) => e.type === 'submitted');
  const consent = (submitted?.payload as { consent?: { grantedBy?: string; grantedAt?: string; scope?: string } })
    ?.consent;
  if (request.origin !== 'cted_assessment' || !consent?.grantedBy) return null;
  return (
    <Text size="sm" mt="xs" data-testid="consent">
      {t('request.consent', {
        grantedBy: consent.grantedBy,
        grantedAt: f.date(consent.grantedAt),
        scope: consent.scope ?? '',
      })}
    </Text>
  );
}

function PayloadView({ payload }: { payload: Record<string, unknown> }) {
  return (
    <details>
      <summary className="payload-summary">{Object.keys(payload).join(', ')}</summary>
      <pre className="payload">{JSON.stringify(payload, null, 2)}</pre>
    </details>
  );
}
