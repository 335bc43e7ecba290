import {
  Alert,
  Badge,
  Card,
  Group,
  List,
  Loader,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { RequestTable } from '../components/request-table';
import { useFormat } from '../lib/format';
import { useSession } from '../lib/session';

const WEEKS_AHEAD = 4;
const ASSIGNEE_FILTERS = ['me', 'unassigned'] as const;

/** Home: the requests waiting on this user's role (and State), nearest deadline first. */
export function Component() {
  const { t } = useTranslation();
  const { me } = useSession();
  const f = useFormat();
  const staff = !!me && me.role !== 'member_state' && me.role !== 'admin';
  // "Mine" / "Unassigned" (staff only) lives in the URL, like the list's filters.
  const [params, setParams] = useSearchParams();
  const assignee = staff ? ASSIGNEE_FILTERS.find((v) => v === params.get('assignee')) : undefined;
  const q = useQuery({
    queryKey: ['work-queue', assignee ?? 'all'],
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/work-queue', { params: { query: { limit: 100, ...(assignee ? { assignee } : {}) } } }),
      ),
    enabled: !!me && me.role !== 'admin',
  });
  // The counts are the whole queue's (the list shows its first 100).
  const totals = useQuery({
    queryKey: ['work-queue', 'counts', assignee ?? 'all'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/work-queue/counts', { params: { query: assignee ? { assignee } : {} } })),
    enabled: !!me && me.role !== 'admin',
  });
  if (me?.role === 'admin') return <Navigate to="/admin/users" replace />;

  const items = q.data?.items ?? [];
  const counts = new Map<string, number>((totals.data?.byStage ?? []).map((s) => [s.stage, s.count]));
  const overdue = totals.data?.overdue ?? 0;
  const horizon = Date.now() + WEEKS_AHEAD * 7 * 86_400_000;
  const soon = items.filter((r) => r.nextDeadlineAt && Date.parse(r.nextDeadlineAt) <= horizon);

  return (
    <Stack>
      <Title order={1}>{t('workQueue.title')}</Title>
      <Text>{t(`workQueue.intro.${me?.role ?? 'member_state'}`)}</Text>
      {staff && (
        <Group gap="xs">
          <Text id="queue-filter-label" size="sm">
            {t('workQueue.filter.show')}
          </Text>
          <SegmentedControl
            aria-labelledby="queue-filter-label"
            data-testid="queue-filter"
            value={assignee ?? 'all'}
            onChange={(v) => {
              const next = new URLSearchParams(params);
              if (v === 'all') next.delete('assignee');
              else next.set('assignee', v);
              setParams(next);
            }}
            data={[
              { value: 'all', label: t('workQueue.filter.all') },
              { value: 'me', label: t('workQueue.filter.mine') },
              { value: 'unassigned', label: t('workQueue.filter.unassigned') },
            ]}
          />
        </Group>
      )}
      {q.isLoading && <Loader role="status" aria-label={t('common.loading')} />}
      {q.error && (
        <Alert color="red" role="alert">
          {t('errors.generic')}
        </Alert>
      )}
      {q.data && (
        <>
          <SimpleGrid cols={{ base: 2, sm: 4 }} aria-label={t('workQueue.counts')} role="list">
            <Card withBorder role="listitem">
              <Text size="sm">{t('workQueue.total')}</Text>
              <Text fw={700} size="xl" data-testid="count-total">
                {f.number(totals.data?.total ?? items.length)}
              </Text>
            </Card>
            <Card withBorder role="listitem">
              <Text size="sm">{t('request.overdue')}</Text>
              <Text fw={700} size="xl" c={overdue ? 'red.9' : undefined}>
                {f.number(overdue)}
              </Text>
            </Card>
            {[...counts].map(([stage, n]) => (
              <Card withBorder key={stage} role="listitem">
                <Text size="sm">{t(`stage.${stage}`)}</Text>
                <Text fw={700} size="xl">
                  {f.number(n)}
                </Text>
              </Card>
            ))}
          </SimpleGrid>
          {me?.role !== 'member_state' && (
            <section aria-labelledby="upcoming-title">
              <Title order={2} size="h3" id="upcoming-title">
                {t('workQueue.upcoming', { weeks: WEEKS_AHEAD })}
              </Title>
              {soon.length === 0 ? (
                <Text>{t('workQueue.noUpcoming')}</Text>
              ) : (
                <List>
                  {soon.slice(0, 10).map((r) => (
                    <List.Item key={r.id}>
                      <Group gap="xs">
                        <Text span fw={600}>
                          {r.reference}
                        </Text>
                        <Text span>
                          {t(`deadline.${r.nextDeadlineKind ?? 'owner_reminder'}`)} · {f.dateTime(r.nextDeadlineAt)}
                        </Text>
                        {r.overdue && <Badge color="red.9">{t('request.overdue')}</Badge>}
                      </Group>
                    </List.Item>
                  ))}
                </List>
              )}
            </section>
          )}
          <section aria-labelledby="queue-title">
            <Title order={2} size="h3" id="queue-title">
              {t('workQueue.awaiting')}
            </Title>
            {items.length === 0 ? (
              <Text>{t('workQueue.empty')}</Text>
            ) : (
              <RequestTable items={items} caption={t('workQueue.awaiting')} />
            )}
          </section>
        </>
      )}
    </Stack>
  );
}
