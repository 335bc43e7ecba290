import { Anchor, Badge, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { RequestSummary } from '../api/client';
import { useFormat } from '../lib/format';
import { useReferenceData } from '../lib/reference-data';
import { useSession } from '../lib/session';

/** Requests as a table: reference (marked if urgent), State, title, stage, who acts next, next deadline. */
export function RequestTable({ items, caption }: { items: RequestSummary[]; caption: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const ref = useReferenceData();
  const { me } = useSession();
  // Focal points never see assignment (the API sends null): no column for them.
  const showAssignee = !!me && me.role !== 'member_state';
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table striped highlightOnHover>
        <caption className="visually-hidden">{caption}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('request.reference')}</Table.Th>
            <Table.Th scope="col">{t('request.memberState')}</Table.Th>
            <Table.Th scope="col">{t('request.title')}</Table.Th>
            <Table.Th scope="col">{t('request.stage')}</Table.Th>
            <Table.Th scope="col">{t('request.owner')}</Table.Th>
            {showAssignee && <Table.Th scope="col">{t('request.assignee')}</Table.Th>}
            <Table.Th scope="col">{t('request.nextDeadline')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                <Anchor component={Link} to={`/requests/${r.reference}`}>
                  {r.reference}
                </Anchor>
                {r.urgent && (
                  <Badge color="grape.9" ms="xs">
                    {t('urgency.urgent')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{ref.stateName(r.memberState)}</Table.Td>
              <Table.Td>{r.title}</Table.Td>
              <Table.Td>
                {t(`stage.${r.stage}`)}
                {r.outcome ? ` · ${t(`outcome.${r.outcome}`)}` : ''}
              </Table.Td>
              <Table.Td>{r.owner ? t(`role.${r.owner}`) : '—'}</Table.Td>
              {showAssignee && <Table.Td data-testid="row-assignee">{r.assignee?.displayName ?? '—'}</Table.Td>}
              <Table.Td>
                {f.dateTime(r.nextDeadlineAt)}
                {r.overdue && (
                  <Badge color="red.9" ms="xs">
                    {t('request.overdue')}
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
