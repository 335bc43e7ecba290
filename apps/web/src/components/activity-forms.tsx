import { Fieldset, Group, NumberInput, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { RequestDetail, Schemas } from '../api/client';
import { useActionForm } from '../lib/action-form';
import { useReferenceData } from '../lib/reference-data';
import { FormShell } from './form-shell';

const text = z.string().trim().min(1, 'v.required');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'v.date');

type Activity = Schemas['DeliveryActivityDto'];

export function ActivityForm(props: {
  kind: 'report-delivered' | 'reschedule' | 'cancel';
  request: RequestDetail;
  activity: Activity;
  states: string[];
  onClose(): void;
  /** The action was recorded: the page closes the form and says so. */
  onDone(): void;
}) {
  if (props.kind === 'report-delivered') return <ReportDelivered {...props} />;
  if (props.kind === 'reschedule') return <Reschedule {...props} />;
  return <Cancel {...props} />;
}

type P = Parameters<typeof ActivityForm>[0];

function ReportDelivered({ request, activity, states, onClose, onDone }: P) {
  const { t } = useTranslation();
  const ref = useReferenceData();
  const f = useActionForm(
    '/api/v1/requests/{reference}/activities/{key}/actions/report-delivered',
    request.reference,
    activity.key,
    onDone,
  );
  // A delivery is reported once it happened: the last day of the activity, or today if that is later.
  const today = new Date().toISOString().slice(0, 10);
  const [deliveredOn, setDeliveredOn] = useState(activity.endDate < today ? activity.endDate : today);
  const [participants, setParticipants] = useState<Record<string, number | string>>({});
  const [officials, setOfficials] = useState<Record<string, number | string>>({});
  const [outputs, setOutputs] = useState('');
  const counts = z.record(z.string(), z.number({ error: 'v.number' }).int('v.number').min(0, 'v.number'));
  const schema = z.object({
    deliveredOn: date,
    participantsByState: counts,
    officialsTrainedByProfession: counts,
    outputs: z.array(z.string()),
  });
  const clean = (r: Record<string, number | string>) =>
    Object.fromEntries(Object.entries(r).filter(([, v]) => v !== ''));
  return (
    <FormShell
      title={t('activity.reportDelivered', { title: activity.title ?? activity.key })}
      testId={`form-report-delivered-${activity.key}`}
      {...f}
      onCancel={onClose}
      onSubmit={() =>
        f.submit(
          schema,
          {
            deliveredOn,
            participantsByState: clean(participants),
            officialsTrainedByProfession: clean(officials),
            outputs: outputs
              .split('\n')
              .map((l) => l.trim())
              .filter(Boolean),
          },
          (v) => v,
        )
      }
    >
      <TextInput
        type="date"
        label={t('form.deliveredOn')}
        required
        value={deliveredOn}
        onChange={(e) => setDeliveredOn(e.currentTarget.value)}
        error={f.errors.deliveredOn}
      />
      <Fieldset legend={t('form.participantsByState')}>
        <Group grow wrap="wrap">
          {states.map((s) => (
            <NumberInput
              key={s}
              label={ref.stateName(s)}
              min={0}
              clampBehavior="none"
              value={participants[s] ?? ''}
              onChange={(v) => setParticipants({ ...participants, [s]: v })}
              error={f.errors[`participantsByState.${s}`]}
            />
          ))}
        </Group>
      </Fieldset>
      <Fieldset legend={t('form.officialsByProfession')}>
        <Group grow wrap="wrap">
          {(ref.data?.professions ?? []).map((p) => (
            <NumberInput
              key={p}
              label={t(`profession.${p}`)}
              min={0}
              clampBehavior="none"
              value={officials[p] ?? ''}
              onChange={(v) => setOfficials({ ...officials, [p]: v })}
              error={f.errors[`officialsTrainedByProfession.${p}`]}
            />
          ))}
        </Group>
      </Fieldset>
      <Textarea
        label={t('form.outputs')}
        description={t('form.onePerLine')}
        value={outputs}
        onChange={(e) => setOutputs(e.currentTarget.value)}
        error={f.errors.outputs}
      />
    </FormShell>
  );
}

function Reschedule({ request, activity, onClose, onDone }: P) {
  const { t } = useTranslation();
  const f = useActionForm(
    '/api/v1/requests/{reference}/activities/{key}/actions/reschedule',
    request.reference,
    activity.key,
    onDone,
  );
  const [v, setV] = useState({
    startDate: activity.startDate,
    endDate: activity.endDate,
    place: activity.place,
    reason: '',
  });
  const schema = z
    .object({ startDate: date, endDate: date, place: text, reason: text })
    .refine((x) => x.endDate >= x.startDate, { message: 'v.dateOrder', path: ['endDate'] });
  return (
    <FormShell
      title={t('activity.reschedule', { title: activity.title ?? activity.key })}
      testId={`form-reschedule-${activity.key}`}
      {...f}
      onCancel={onClose}
      onSubmit={() => f.submit(schema, v, (x) => x)}
    >
      <TextInput
        type="date"
        label={t('form.startDate')}
        required
        value={v.startDate}
        onChange={(e) => setV({ ...v, startDate: e.currentTarget.value })}
        error={f.errors.startDate}
      />
      <TextInput
        type="date"
        label={t('form.endDate')}
        required
        value={v.endDate}
        onChange={(e) => setV({ ...v, endDate: e.currentTarget.value })}
        error={f.errors.endDate}
      />
      <TextInput
        label={t('form.place')}
        required
        value={v.place}
        onChange={(e) => setV({ ...v, place: e.currentTarget.value })}
        error={f.errors.place}
      />
      <Textarea
        label={t('form.reason')}
        required
        value={v.reason}
        onChange={(e) => setV({ ...v, reason: e.currentTarget.value })}
        error={f.errors.reason}
      />
    </FormShell>
  );
}

function Cancel({ request, activity, onClose, onDone }: P) {
  const { t } = useTranslation();
  const f = useActionForm(
    '/api/v1/requests/{reference}/activities/{key}/actions/cancel',
    request.reference,
    activity.key,
    onDone,
  );
  const [reason, setReason] = useState('');
  return (
    <FormShell
      title={t('activity.cancel', { title: activity.title ?? activity.key })}
      testId={`form-cancel-${activity.key}`}
      {...f}
      onCancel={onClose}
      onSubmit={() => f.submit(z.object({ reason: text }), { reason }, (x) => x)}
    >
      <Textarea
        label={t('form.reason')}
        required
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        error={f.errors.reason}
      />
    </FormShell>
  );
}
