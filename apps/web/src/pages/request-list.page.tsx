import { Alert, Button, Checkbox, Group, Loader, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { paths } from '../api/schema';
import { RequestTable } from '../components/request-table';
import { STAGES } from '../lib/labels';
import { useReferenceData } from '../lib/reference-data';
import { useSession } from '../lib/session';

type ListQuery = NonNullable<paths['/api/v1/requests']['get']['parameters']['query']>;

const FILTERS = [
  'stage',
  'memberState',
  'region',
  'thematicArea',
  'origin',
  'overdue',
  'q',
  'sort',
  'assignee',
] as const;

/** Every filter, the sort and the page cursor live in the URL, so a view can be shared. */
export function Component() {
  const { t } = useTranslation();
  const { me } = useSession();
  const ref = useReferenceData();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  useEffect(() => setText(params.get('q') ?? ''), [params]);

  const query: ListQuery = { limit: 25 };
  for (const k of FILTERS) {
    const v = params.get(k);
    if (v) (query as Record<string, unknown>)[k] = k === 'overdue' ? v === 'true' : v;
  }
  const cursor = params.get('cursor');
  if (cursor) query.cursor = cursor;

  const list = useQuery({
    queryKey: ['requests', query],
    queryFn: async () => unwrap(await api.GET('/api/v1/requests', { params: { query } })),
  });

  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete('cursor');
    next.delete('prev');
    setParams(next);
  };
  const prevCursors = (params.get('prev') ?? '').split(',').filter(Boolean);

  const any = (label: string) => [{ value: '', label }];
  return (
    <Stack>
      <Title order={1}>{t('list.title')}</Title>
      <form
        role="search"
        aria-label={t('list.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          set('q', text.trim() || null);
        }}
      >
        <Group align="end" wrap="wrap">
          <TextInput label={t('list.text')} value={text} onChange={(e) => setText(e.currentTarget.value)} />
          <Button type="submit">{t('list.search')}</Button>
          <NativeSelect
            label={t('request.stage')}
            value={params.get('stage') ?? ''}
            data={[...any(t('list.any')), ...STAGES.map((s) => ({ value: s, label: t(`stage.${s}`) }))]}
            onChange={(e) => set('stage', e.currentTarget.value)}
          />
          {me?.role !== 'member_state' && (
            <>
              <NativeSelect
                label={t('request.memberState')}
                value={params.get('memberState') ?? ''}
                data={[...any(t('list.any')), ...ref.stateOptions()]}
                onChange={(e) => set('memberState', e.currentTarget.value)}
              />
              <NativeSelect
                label={t('request.region')}
                value={params.get('region') ?? ''}
                data={[
                  ...any(t('list.any')),
                  ...(ref.data?.regions ?? []).map((r) => ({ value: r.name, label: t(`region.${r.name}`) })),
                ]}
                onChange={(e) => set('region', e.currentTarget.value)}
              />
              <NativeSelect
                label={t('list.assignee')}
                value={params.get('assignee') ?? ''}
                data={[
                  ...any(t('list.any')),
                  { value: 'me', label: t('list.assigneeMe') },
                  { value: 'unassigned', label: t('list.assigneeNone') },
                ]}
                onChange={(e) => set('assignee', e.currentTarget.value)}
              />
            </>
          )}
          <NativeSelect
            label={t('request.thematicArea')}
            value={params.get('thematicArea') ?? ''}
            data={[
              ...any(t('list.any')),
              ...(ref.data?.thematicAreas ?? []).map((a) => ({ value: a.code, label: a.name })),
            ]}
            onChange={(e) => set('thematicArea', e.currentTarget.value)}
          />
          <NativeSelect
            label={t('request.origin')}
            value={params.get('origin') ?? ''}
            data={[
              ...any(t('list.any')),
              { value: 'member_state', label: t('origin.member_state') },
              { value: 'cted_assessment', label: t('origin.cted_assessment') },
            ]}
            onChange={(e) => set('origin', e.currentTarget.value)}
          />
          <NativeSelect
            label={t('list.sort')}
            value={params.get('sort') ?? 'newest'}
            data={[
              { value: 'newest', label: t('list.newest') },
              { value: 'oldest', label: t('list.oldest') },
              { value: 'deadline', label: t('list.sortDeadline') },
              { value: 'reference', label: t('list.sortReference') },
              { value: 'stage', label: t('list.sortStage') },
            ]}
            onChange={(e) => set('sort', e.currentTarget.value === 'newest' ? null : e.currentTarget.value)}
          />
          <Checkbox
            label={t('list.overdueOnly')}
            checked={params.get('overdue') === 'true'}
            onChange={(e) => set('overdue', e.currentTarget.checked ? 'true' : null)}
          />
        </Group>
      </form>
      {list.isLoading && <Loader role="status" aria-label={t('common.loading')} />}
      {list.error && (
        <Alert color="red" role="alert">
          {t('errors.generic')}
        </Alert>
      )}
      {list.data && (
        <>
          {list.data.items.length === 0 ? (
            <Text>{t('list.none')}</Text>
          ) : (
            <RequestTable items={list.data.items} caption={t('list.title')} />
          )}
          <Group>
            <Button
              variant="default"
              disabled={!cursor}
              onClick={() => {
                const next = new URLSearchParams(params);
                const prev = [...prevCursors];
                const back = prev.pop();
                if (back && back !== '-') next.set('cursor', back);
                else next.delete('cursor');
                if (prev.length) next.set('prev', prev.join(','));
                else next.delete('prev');
                setParams(next);
              }}
            >
              {t('list.previous')}
            </Button>
            <Button
              variant="default"
              disabled={!list.data.nextCursor}
              onClick={() => {
                const next = new URLSearchParams(params);
                next.set('prev', [...prevCursors, cursor ?? '-'].join(','));
                next.set('cursor', list.data!.nextCursor!);
                setParams(next);
              }}
            >
              {t('list.next')}
            </Button>
          </Group>
        </>
      )}
    </Stack>
  );
}
