import { Anchor, Badge, Button, Group, Popover, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../api/client';
import { useFormat } from '../lib/format';

type Notification = Schemas['NotificationDto'];

/** Polled while the app is open: a decision by someone else shows up within half a minute. */
const POLL_MS = 30_000;

function BellIcon() {
  return (
    <svg
      aria-hidden="true"
      width="16"
      height="16"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
    >
      <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
      <path d="M13.73 21a2 2 0 0 1-3.46 0" />
    </svg>
  );
}

/**
 * The caller's in-app notifications (GET /api/v1/notifications, unread first): a bell with the
 * unread count in the header, a list linking each to its request, mark read one by one or all.
 */
export function NotificationBell() {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const list = useInfiniteQuery({
    queryKey: ['notifications'],
    queryFn: async ({ pageParam }) =>
      unwrap(
        await api.GET('/api/v1/notifications', {
          params: { query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: POLL_MS,
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['notifications'] });
  const markRead = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } })),
    onSettled: refresh,
  });
  const markAll = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/notifications/read-all')),
    onSettled: refresh,
  });
  const pages = list.data?.pages ?? [];
  // The count of the latest page fetched: every page answers the caller's unread total.
  const unread = pages[pages.length - 1]?.unreadCount ?? 0;
  const items: Notification[] = pages.flatMap((p) => p.items);

  return (
    <Popover
      width={420}
      position="bottom-end"
      trapFocus
      returnFocus
      shadow="md"
      withinPortal
      transitionProps={{ duration: 0 }}
    >
      <Popover.Target>
        <Button
          size="xs"
          variant={unread > 0 ? 'filled' : 'default'}
          aria-label={t('notifications.bell', { count: unread })}
          data-testid="notification-bell"
          leftSection={<BellIcon />}
        >
          <span aria-hidden="true">{unread}</span>
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" data-testid="notifications" role="region" aria-label={t('notifications.title')}>
          <Group justify="space-between" wrap="nowrap">
            <Title order={2} size="h5">
              {t('notifications.title')}
            </Title>
            <Button size="compact-xs" variant="subtle" disabled={unread === 0} onClick={() => markAll.mutate()}>
              {t('notifications.markAllRead')}
            </Button>
          </Group>
          {items.length === 0 ? (
            <Text size="sm">{t('notifications.none')}</Text>
          ) : (
            <Stack
              component="ul"
              gap={6}
              style={{ listStyle: 'none', padding: 0, margin: 0, maxHeight: 360, overflowY: 'auto' }}
            >
              {items.map((n) => (
                <li key={n.id} data-testid={`notification-${n.id}`} data-unread={n.readAt === null}>
                  <Group justify="space-between" wrap="nowrap" align="start" gap="xs">
                    <div style={{ flex: 1, minWidth: 0 }}>
                      {n.readAt === null && (
                        <Badge size="xs" color="blue.9" me={4}>
                          {t('notifications.unread')}
                        </Badge>
                      )}
                      <Anchor
                        component={Link}
                        to={`/requests/${n.reference}`}
                        size="sm"
                        fw={n.readAt === null ? 700 : 400}
                        onClick={() => n.readAt === null && markRead.mutate(n.id)}
                      >
                        {t(`notifications.kind.${n.kind}`, { reference: n.reference })}
                      </Anchor>
                      <Text size="xs" c="gray.8">
                        {f.dateTime(n.createdAt)}
                      </Text>
                    </div>
                    {n.readAt === null && (
                      <Button
                        size="compact-xs"
                        variant="default"
                        style={{ flexShrink: 0 }}
                        onClick={() => markRead.mutate(n.id)}
                        aria-label={t('notifications.markReadOf', { reference: n.reference })}
                      >
                        {t('notifications.markRead')}
                      </Button>
                    )}
                  </Group>
                </li>
              ))}
            </Stack>
          )}
          {list.hasNextPage && (
            <Button
              size="compact-xs"
              variant="subtle"
              loading={list.isFetchingNextPage}
              onClick={() => void list.fetchNextPage()}
            >
              {t('notifications.more')}
            </Button>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
