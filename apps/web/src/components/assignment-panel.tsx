import { Alert, Button, Group, NativeSelect, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type RequestDetail } from '../api/client';
import { useActionForm } from '../lib/action-form';
import { useSession } from '../lib/session';

/** The assignment actions the API lists among `allowedActions` (claim, assign, unassign). */
export const ASSIGNMENT_ACTIONS = ['claim', 'assign', 'unassign'] as const;
export type AssignmentAction = (typeof ASSIGNMENT_ACTIONS)[number];
export const isAssignmentAction = (a: string): a is AssignmentAction =>
  (ASSIGNMENT_ACTIONS as readonly string[]).includes(a);

const empty = z.object({});
const assignSchema = z.object({ assigneeId: z.string().min(1, 'v.required') });

/**
 * Who holds the request for the body working on it, and the controls the caller may use: claim,
 * unassign, and (supervisors) assign to a named user. Buttons follow `allowedActions`, computed by
 * the API from the same domain rules the workflow applies.
 */
export function AssignmentPanel({ request }: { request: RequestDetail }) {
  const { me } = useSession();
  // Assignment is CTED's and UNODC's business: focal points see none of it.
  return me && me.role !== 'member_state' ? <Assignment request={request} /> : null;
}

function Assignment({ request }: { request: RequestDetail }) {
  const { t } = useTranslation();
  const reference = request.reference;
  const allowed = request.allowedActions.filter(isAssignmentAction);
  const claim = useActionForm('/api/v1/requests/{reference}/actions/claim', reference);
  const unassign = useActionForm('/api/v1/requests/{reference}/actions/unassign', reference);
  const assign = useActionForm('/api/v1/requests/{reference}/actions/assign', reference);
  const [assigneeId, setAssigneeId] = useState('');
  const users = useQuery({
    queryKey: ['request', reference, 'assignable-users'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/requests/{reference}/assignable-users', { params: { path: { reference } } })),
    enabled: allowed.includes('assign'),
  });
  const candidates = (users.data?.items ?? []).filter((u) => u.id !== request.assignee?.id);
  const error = claim.formError ?? unassign.formError ?? assign.formError;

  return (
    <section aria-labelledby="assignment-title" data-testid="assignment">
      {/* Label and value side by side, no punctuation glued to a translated string. */}
      <Text id="assignment-title" fw={600} span me="xs">
        {t('assignment.title')}
      </Text>
      <Text span data-testid="assignee">
        {request.assignee ? request.assignee.displayName : t('assignment.nobody')}
      </Text>
      {allowed.length > 0 && (
        <Group gap="xs" mt="xs" align="end" wrap="wrap">
          {allowed.includes('claim') && (
            <Button
              variant="default"
              loading={claim.pending}
              onClick={() => claim.submit(empty, {}, () => ({}))}
              data-testid="claim"
            >
              {t('assignment.claim')}
            </Button>
          )}
          {allowed.includes('unassign') && (
            <Button
              variant="default"
              loading={unassign.pending}
              onClick={() => unassign.submit(empty, {}, () => ({}))}
              data-testid="unassign"
            >
              {t('assignment.unassign')}
            </Button>
          )}
          {allowed.includes('assign') && (
            <>
              <NativeSelect
                label={t('assignment.assignTo')}
                value={assigneeId}
                error={assign.errors.assigneeId}
                data={[
                  { value: '', label: t('assignment.choose') },
                  ...candidates.map((u) => ({ value: u.id, label: `${u.displayName} (${t(`role.${u.role}`)})` })),
                ]}
                onChange={(e) => setAssigneeId(e.currentTarget.value)}
              />
              <Button
                variant="default"
                loading={assign.pending}
                onClick={() => assign.submit(assignSchema, { assigneeId }, (v) => ({ assigneeId: v.assigneeId }))}
                data-testid="assign"
              >
                {t('assignment.assign')}
              </Button>
            </>
          )}
        </Group>
      )}
      {error && (
        <Alert color="red" role="alert" mt="xs" data-testid="assignment-error">
          {error}
        </Alert>
      )}
    </section>
  );
}
