import {
  Alert,
  Anchor,
  Button,
  Group,
  List,
  Loader,
  NativeSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { z } from 'zod';
import { ApiError, api, currentToken, unwrap } from '../api/client';
import { useFormat } from '../lib/format';
import { useReferenceData } from '../lib/reference-data';
import { useSession } from '../lib/session';

// The report endpoints' answers are not described field by field in the OpenAPI document (each
// report has its own columns), so they are checked at run time instead.
const catalogueSchema = z
  .object({
    items: z.array(z.object({ report: z.string(), title: z.string(), description: z.string().optional() }).loose()),
  })
  .loose();
const drilldownSchema = z.object({
  total: z.number(),
  truncated: z.boolean(),
  items: z.array(z.record(z.string(), z.unknown())),
});
const reportSchema = z
  .object({
    report: z.string(),
    title: z.string(),
    description: z.string().optional(),
    columns: z.array(z.string()),
    rows: z.array(z.record(z.string(), z.unknown())),
  })
  .loose();

async function getJson(path: string, query: Record<string, string>) {
  const get = api.GET as unknown as (
    p: string,
    init: unknown,
  ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
  return unwrap(await get(path, { params: { query } }));
}

/** Reports are for CTED and UNODC staff, supervisors included (the API's @Roles). */

export function Component() {
  const { t } = useTranslation();
  const f = useFormat();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const name = params.get('report') ?? 'states-assisted';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  // A focal point's figures are its own State's whatever it asks (the API scopes them); CTED and
  // UNODC may narrow them to one State.
  const focal = me?.role === 'member_state';
  const state = focal ? '' : (params.get('memberState') ?? '');
  const ref = useReferenceData();
  const [period, setPeriod] = useState({ from, to });
  const [open, setOpen] = useState<number | null>(null);

  const catalogue = useQuery({
    queryKey: ['reports'],
    queryFn: async () => catalogueSchema.parse(await getJson('/api/v1/reports', {})),
    enabled: !!me && me.role !== 'admin',
  });
  const query: Record<string, string> = {};
  if (from) query.from = from;
  if (to) query.to = to;
  if (state) query.memberState = state;
  const report = useQuery({
    queryKey: ['report', name, query],
    queryFn: async () => reportSchema.parse(await getJson(`/api/v1/reports/${name}`, query)),
    enabled: !!catalogue.data,
  });

  if (me && me.role === 'admin')
    return (
      <Alert color="yellow.9" role="status">
        {t('reports.notForRole')}
      </Alert>
    );

  const data = report.data;
  const numeric = data?.columns.filter((c) => data.rows.some((r) => typeof r[c] === 'number')) ?? [];
  const label = data?.columns.find((c) => !numeric.includes(c) && c !== 'scope') ?? data?.columns[0];
  const measure = numeric[0];
  const detailRows = data?.rows.filter((r) => r.scope !== 'total' && r.scope !== 'subtotal') ?? [];

  async function downloadCsv() {
    const res = await fetch(`/api/v1/reports/${name}?${new URLSearchParams({ ...query, format: 'csv' })}`, {
      headers: { authorization: `Bearer ${currentToken()}` },
    });
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `${name}_${state || (focal ? me?.memberState : '') || 'all'}_${from || 'start'}_${to || 'now'}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  }

  return (
    <Stack>
      <Title order={1}>{t('reports.title')}</Title>
      {(focal || state) && (
        <Text data-testid="report-scope">
          {t('reports.scopedTo', { state: ref.stateName((focal ? me?.memberState : state) ?? '') })}
        </Text>
      )}
      <form
        aria-label={t('reports.period')}
        onSubmit={(e) => {
          e.preventDefault();
          const next = new URLSearchParams(params);
          for (const k of ['from', 'to'] as const) {
            if (period[k]) next.set(k, period[k]);
            else next.delete(k);
          }
          setParams(next);
        }}
      >
        <Group align="end" wrap="wrap">
          <NativeSelect
            label={t('reports.report')}
            value={name}
            data={(catalogue.data?.items ?? []).map((r) => ({ value: r.report, label: r.title }))}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              next.set('report', e.currentTarget.value);
              setParams(next);
              setOpen(null);
            }}
          />
          {!focal && (
            <NativeSelect
              label={t('request.memberState')}
              value={state}
              data={[{ value: '', label: t('reports.allStates') }, ...ref.stateOptions()]}
              onChange={(e) => {
                const next = new URLSearchParams(params);
                if (e.currentTarget.value) next.set('memberState', e.currentTarget.value);
                else next.delete('memberState');
                setParams(next);
                setOpen(null);
              }}
            />
          )}
          <TextInput
            type="date"
            label={t('reports.from')}
            value={period.from}
            onChange={(e) => setPeriod({ ...period, from: e.currentTarget.value })}
          />
          <TextInput
            type="date"
            label={t('reports.to')}
            value={period.to}
            onChange={(e) => setPeriod({ ...period, to: e.currentTarget.value })}
          />
          <Button type="submit">{t('reports.apply')}</Button>
          <Button variant="default" onClick={() => void downloadCsv()} disabled={!data}>
            {t('reports.csv')}
          </Button>
        </Group>
      </form>
      {(report.isLoading || catalogue.isLoading) && <Loader role="status" aria-label={t('common.loading')} />}
      {report.error && (
        <Alert color="red" role="alert">
          {report.error instanceof ApiError
            ? (report.error.problem.detail ?? t('errors.generic'))
            : t('errors.generic')}
        </Alert>
      )}
      {data && (
        <>
          <Title order={2} size="h3">
            {data.title}
          </Title>
          {data.description && <Text size="sm">{data.description}</Text>}
          {label && measure && detailRows.length > 0 && (
            <figure style={{ margin: 0 }} aria-label={t('reports.chart', { title: data.title })}>
              <div style={{ width: '100%', height: 300 }} dir="ltr">
                <ResponsiveContainer>
                  <BarChart
                    data={detailRows
                      .slice(0, 30)
                      .map((r) => ({ name: String(r[label] ?? ''), value: Number(r[measure] ?? 0) }))}
                  >
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="name" hide={detailRows.length > 12} />
                    <YAxis />
                    <Tooltip />
                    <Bar dataKey="value" name={measure} fill="#1864ab" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              </div>
              <figcaption>
                <Text size="xs">{t('reports.chartCaption', { measure, label })}</Text>
              </figcaption>
            </figure>
          )}
          <Table.ScrollContainer minWidth={600}>
            <Table striped>
              <caption className="visually-hidden">{data.title}</caption>
              <Table.Thead>
                <Table.Tr>
                  {data.columns.map((c) => (
                    <Table.Th key={c} scope="col">
                      {c}
                    </Table.Th>
                  ))}
                  <Table.Th scope="col">{t('reports.drilldown')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.rows.map((r, i) => {
                  const dd = drilldownSchema.safeParse(r.drilldown);
                  return (
                    <Table.Tr key={i}>
                      {data.columns.map((c) => (
                        <Table.Td key={c}>
                          {typeof r[c] === 'number'
                            ? f.number(r[c] as number)
                            : Array.isArray(r[c])
                              ? (r[c] as unknown[]).join(' ')
                              : String(r[c] ?? '—')}
                        </Table.Td>
                      ))}
                      <Table.Td>
                        {dd.success && dd.data.total > 0 ? (
                          <>
                            <Button
                              size="compact-xs"
                              variant="subtle"
                              aria-expanded={open === i}
                              onClick={() => setOpen(open === i ? null : i)}
                            >
                              {t('reports.showItems', { count: dd.data.total })}
                            </Button>
                            {open === i && (
                              <List size="xs">
                                {dd.data.items.map((item, j) => (
                                  <List.Item key={j}>
                                    <Anchor
                                      component={Link}
                                      to={`/requests/${String(item.reference)}${item.activityKey ? `#activity-${String(item.activityKey)}` : ''}`}
                                    >
                                      {String(item.reference)}
                                    </Anchor>
                                    {Object.entries(item)
                                      .filter(([k]) => k !== 'reference')
                                      .map(([, v]) => ` / ${String(v)}`)
                                      .join('')}
                                  </List.Item>
                                ))}
                              </List>
                            )}
                          </>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}
