import {
  Button,
  Checkbox,
  Fieldset,
  Group,
  MultiSelect,
  NativeSelect,
  NumberInput,
  Stack,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { RequestDetail, Schemas } from '../api/client';
import { useActionForm, type ActionPath } from '../lib/action-form';
import { useReferenceData } from '../lib/reference-data';
import { FormShell } from './form-shell';
import { UserText } from './user-text';

const text = z.string().trim().min(1, 'v.required');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'v.date');
const count = z.number({ error: 'v.number' }).int('v.number').min(0, 'v.number');
const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export interface DecisionContext {
  request: RequestDetail;
  referrals: Schemas['ReferralViewDto'][];
  plan: Schemas['PlanViewDto'] | null;
  onClose(): void;
  /** The decision was recorded: the page closes the form and says so. */
  onDone(): void;
}

type Props = DecisionContext;

function useForm<P extends ActionPath>(path: P, ctx: Props) {
  return useActionForm(path, ctx.request.reference, undefined, ctx.onDone);
}

/** A form with one text field: the simple decisions. */
function TextDecision(props: {
  ctx: Props;
  path: ActionPath;
  field: string;
  title: string;
  label: string;
  multiline?: boolean;
  optional?: boolean;
  extra?: Record<string, unknown>;
  testId: string;
}) {
  const { t } = useTranslation();
  const f = useForm(props.path, props.ctx);
  const [value, setValue] = useState('');
  const schema = z.object({ v: props.optional ? z.string() : text });
  const Input = props.multiline ? Textarea : TextInput;
  return (
    <FormShell
      title={props.title}
      testId={props.testId}
      formError={f.formError}
      pending={f.pending}
      onCancel={props.ctx.onClose}
      onSubmit={() =>
        f.submit(
          schema,
          { v: value },
          (v) => ({ ...(v.v.trim() ? { [props.field]: v.v.trim() } : {}), ...props.extra }) as never,
        )
      }
    >
      <Input
        label={props.label}
        required={!props.optional}
        autosize={props.multiline ? true : undefined}
        minRows={props.multiline ? 3 : undefined}
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
        error={f.errors.v ?? f.errors[props.field]}
      />
      {!props.optional && <span className="visually-hidden">{t('v.requiredHint')}</span>}
    </FormShell>
  );
}

function RequestInformation({ ctx }: { ctx: Props }) {
  const { t } = useTranslation();
  const f = useForm('/api/v1/requests/{reference}/actions/request-information', ctx);
  const [value, setValue] = useState('');
  const schema = z.object({ questions: z.array(text).min(1, 'v.required') });
  return (
    <FormShell
      title={t('decision.request_information')}
      testId="form-request_information"
      {...f}
      onCancel={ctx.onClose}
      onSubmit={() => f.submit(schema, { questions: lines(value) }, (v) => v)}
    >
      <Textarea
        label={t('form.questions')}
        description={t('form.onePerLine')}
        required
        autosize
        minRows={3}
        value={value}
        onChange={(e) => setValue(e.currentTarget.value)}
        error={f.errors.questions ?? f.errors['questions[0]']}
      />
    </FormShell>
  );
}

function ReferNeeds({ ctx }: { ctx: Props }) {
  const { t } = useTranslation();
  const ref = useReferenceData();
  const f = useForm('/api/v1/requests/{reference}/actions/refer-needs', ctx);
  const [rows, setRows] = useState(
    ctx.request.needs.map((n) => ({ needId: n.id, kind: 'unodc_tpb', name: '', rationale: '', assessmentRef: '' })),
  );
  const schema = z.object({
    referrals: z.array(
      z
        .object({ needId: z.string(), kind: z.string(), name: z.string(), rationale: text, assessmentRef: z.string() })
        .refine((r) => r.kind !== 'external' || r.name.trim().length > 0, {
          message: 'v.required',
          path: ['provider', 'name'],
        }),
    ),
  });
  const update = (i: number, patch: Partial<(typeof rows)[number]>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const providers = [...(ref.data?.donors ?? []), ...(ref.data?.partners ?? [])].map((o) => ref.orgName(o));
  return (
    <FormShell
      title={t('decision.refer_needs')}
      testId="form-refer_needs"
      {...f}
      onCancel={ctx.onClose}
      onSubmit={() =>
        f.submit(schema, { referrals: rows }, (v) => ({
          referrals: v.referrals.map((r) => ({
            needIds: [r.needId],
            provider: r.kind === 'external' ? { kind: 'external', name: r.name.trim() } : { kind: 'unodc_tpb' },
            rationale: r.rationale.trim(),
            ...(r.assessmentRef.trim() ? { assessmentRef: r.assessmentRef.trim() } : {}),
          })) as never,
        }))
      }
    >
      <datalist id="provider-names">
        {[...new Set(providers)].map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      {rows.map((r, i) => {
        const need = ctx.request.needs[i];
        return (
          <Fieldset
            key={r.needId}
            legend={
              <>
                {need.id}: <UserText>{need.description}</UserText>
              </>
            }
          >
            <Stack gap="xs">
              <NativeSelect
                label={t('form.provider')}
                value={r.kind}
                data={[
                  { value: 'unodc_tpb', label: t('provider.unodc_tpb') },
                  { value: 'external', label: t('provider.external') },
                ]}
                onChange={(e) => update(i, { kind: e.currentTarget.value })}
              />
              {r.kind === 'external' && (
                <TextInput
                  label={t('form.providerName')}
                  required
                  list="provider-names"
                  value={r.name}
                  onChange={(e) => update(i, { name: e.currentTarget.value })}
                  error={f.errors[`referrals[${i}].provider.name`]}
                />
              )}
              <Textarea
                label={t('form.rationale')}
                required
                value={r.rationale}
                onChange={(e) => update(i, { rationale: e.currentTarget.value })}
                error={f.errors[`referrals[${i}].rationale`]}
              />
              <TextInput
                label={t('form.assessmentRef')}
                value={r.assessmentRef}
                onChange={(e) => update(i, { assessmentRef: e.currentTarget.value })}
                error={f.errors[`referrals[${i}].assessmentRef`]}
              />
            </Stack>
          </Fieldset>
        );
      })}
      {f.errors.referrals && <div role="alert">{f.errors.referrals}</div>}
    </FormShell>
  );
}

function RecordReferralOutcome({ ctx }: { ctx: Props }) {
  const { t } = useTranslation();
  const f = useForm('/api/v1/requests/{reference}/actions/record-referral-outcome', ctx);
  const open = ctx.referrals.filter((r) => !r.outcome && r.provider.kind === 'external');
  const [referralId, setReferralId] = useState(open[0]?.id ?? '');
  const [delivered, setDelivered] = useState(true);
  const [notes, setNotes] = useState('');
  const schema = z.object({ referralId: text, delivered: z.boolean(), notes: text });
  return (
    <FormShell
      title={t('decision.record_referral_outcome')}
      testId="form-record_referral_outcome"
      {...f}
      onCancel={ctx.onClose}
      onSubmit={() => f.submit(schema, { referralId, delivered, notes }, (v) => v)}
    >
      <NativeSelect
        label={t('form.referral')}
        required
        value={referralId}
        data={ctx.referrals.map((r) => ({
          value: r.id,
          label: `${r.id} · ${r.provider.name ?? t('provider.unodc_tpb')}`,
        }))}
        onChange={(e) => setReferralId(e.currentTarget.value)}
        error={f.errors.referralId}
      />
      <Checkbox
        label={t('form.delivered')}
        checked={delivered}
        onChange={(e) => setDelivered(e.currentTarget.checked)}
      />
      <Textarea
        label={t('form.notes')}
        required
        value={notes}
        onChange={(e) => setNotes(e.currentTarget.value)}
        error={f.errors.notes}
      />
    </FormShell>
  );
}

type ActivityRow = {
  key: string;
  title: string;
  modality: string;
  thematicArea: string;
  startDate: string;
  endDate: string;
  place: string;
  participatingStates: string[];
  partners: string[];
  budgetUsd: number | string;
};

function ProposePlan({ ctx }: { ctx: Props }) {
  const { t } = useTranslation();
  const ref = useReferenceData();
  const f = useForm('/api/v1/requests/{reference}/actions/propose-plan', ctx);
  const blank = (n: number): ActivityRow => ({
    key: `activity-${n}`,
    title: '',
    modality: '',
    thematicArea: ctx.request.thematicAreas[0] ?? '',
    startDate: '',
    endDate: '',
    place: '',
    participatingStates: [ctx.request.memberState],
    partners: [],
    budgetUsd: '',
  });
  const [rows, setRows] = useState<ActivityRow[]>(ctx.plan?.activities.map((a) => ({ ...a })) ?? [blank(1)]);
  const schema = z.object({
    activities: z
      .array(
        z
          .object({
            key: z
              .string()
              .trim()
              .regex(/^[A-Za-z0-9._-]{1,60}$/, 'v.key'),
            title: text,
            modality: text,
            thematicArea: text,
            startDate: date,
            endDate: date,
            place: text,
            participatingStates: z.array(z.string()).min(1, 'v.required'),
            partners: z.array(z.string()),
            budgetUsd: z.coerce.number({ error: 'v.number' }).int('v.number').min(0, 'v.number'),
          })
          .refine((a) => a.endDate >= a.startDate, { message: 'v.dateOrder', path: ['endDate'] }),
      )
      .min(1, 'v.required'),
  });
  const update = (i: number, patch: Partial<ActivityRow>) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const err = (i: number, k: string) => f.errors[`activities[${i}].${k}`];
  return (
    <FormShell
      title={t('decision.propose_plan')}
      testId="form-propose_plan"
      {...f}
      onCancel={ctx.onClose}
      onSubmit={() => f.submit(schema, { activities: rows }, (v) => v as never)}
    >
      {rows.map((r, i) => (
        <Fieldset key={i} legend={t('form.activityN', { n: i + 1 })}>
          <Stack gap="xs">
            <Group grow wrap="wrap">
              <TextInput
                label={t('form.key')}
                required
                value={r.key}
                onChange={(e) => update(i, { key: e.currentTarget.value })}
                error={err(i, 'key')}
              />
              <TextInput
                label={t('form.activityTitle')}
                required
                value={r.title}
                onChange={(e) => update(i, { title: e.currentTarget.value })}
                error={err(i, 'title')}
              />
            </Group>
            <Group grow wrap="wrap">
              <NativeSelect
                label={t('form.modality')}
                required
                value={r.modality}
                data={[{ value: '', label: t('form.choose') }, ...ref.modalityOptions()]}
                onChange={(e) => update(i, { modality: e.currentTarget.value })}
                error={err(i, 'modality')}
              />
              <NativeSelect
                label={t('request.thematicArea')}
                required
                value={r.thematicArea}
                data={ctx.request.thematicAreas.map((code) => ({
                  value: code,
                  label: ref.areaName(code),
                }))}
                onChange={(e) => update(i, { thematicArea: e.currentTarget.value })}
                error={err(i, 'thematicArea')}
              />
            </Group>
            <Group grow wrap="wrap">
              <TextInput
                type="date"
                label={t('form.startDate')}
                required
                value={r.startDate}
                onChange={(e) => update(i, { startDate: e.currentTarget.value })}
                error={err(i, 'startDate')}
              />
              <TextInput
                type="date"
                label={t('form.endDate')}
                required
                value={r.endDate}
                onChange={(e) => update(i, { endDate: e.currentTarget.value })}
                error={err(i, 'endDate')}
              />
              <TextInput
                label={t('form.place')}
                required
                value={r.place}
                onChange={(e) => update(i, { place: e.currentTarget.value })}
                error={err(i, 'place')}
              />
            </Group>
            <Group grow wrap="wrap">
              <MultiSelect
                label={t('form.participatingStates')}
                required
                searchable
                value={r.participatingStates}
                data={ref.stateOptions()}
                onChange={(v) => update(i, { participatingStates: v })}
                error={err(i, 'participatingStates')}
              />
              <MultiSelect
                label={t('form.partners')}
                searchable
                value={r.partners}
                data={(ref.data?.partners ?? []).map((p) => ({ value: p.code, label: ref.orgName(p) }))}
                onChange={(v) => update(i, { partners: v })}
                error={err(i, 'partners')}
              />
              <NumberInput
                label={t('form.budgetUsd')}
                required
                min={0}
                clampBehavior="none"
                value={r.budgetUsd}
                onChange={(v) => update(i, { budgetUsd: v })}
                error={err(i, 'budgetUsd')}
              />
            </Group>
            {rows.length > 1 && (
              <Button variant="subtle" color="red.9" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                {t('form.removeActivity', { n: i + 1 })}
              </Button>
            )}
          </Stack>
        </Fieldset>
      ))}
      <Button variant="default" onClick={() => setRows([...rows, blank(rows.length + 1)])}>
        {t('form.addActivity')}
      </Button>
    </FormShell>
  );
}

function PlanVersionDecision({ ctx, kind }: { ctx: Props; kind: 'accept' | 'revise' }) {
  const { t } = useTranslation();
  const accept = useForm('/api/v1/requests/{reference}/actions/accept-plan', ctx);
  const revise = useForm('/api/v1/requests/{reference}/actions/request-plan-revision', ctx);
  const f = kind === 'accept' ? accept : revise;
  const [comments, setComments] = useState('');
  const version = ctx.plan?.version ?? 0;
  return (
    <FormShell
      title={t(kind === 'accept' ? 'decision.accept_plan' : 'decision.request_plan_revision')}
      testId={kind === 'accept' ? 'form-accept_plan' : 'form-request_plan_revision'}
      {...f}
      onCancel={ctx.onClose}
      onSubmit={() =>
        kind === 'accept'
          ? accept.submit(z.object({ planVersion: z.number() }), { planVersion: version }, (v) => v)
          : revise.submit(
              z.object({ planVersion: z.number(), comments: text }),
              { planVersion: version, comments },
              (v) => v,
            )
      }
    >
      <p>{t('form.planVersion', { version })}</p>
      {kind === 'revise' && (
        <Textarea
          label={t('form.comments')}
          required
          value={comments}
          onChange={(e) => setComments(e.currentTarget.value)}
          error={f.errors.comments}
        />
      )}
      {f.errors.planVersion && <div role="alert">{f.errors.planVersion}</div>}
    </FormShell>
  );
}

function ApprovePlan({ ctx }: { ctx: Props }) {
  const { t } = useTranslation();
  const f = useForm('/api/v1/requests/{reference}/actions/approve-plan', ctx);
  return (
    <FormShell
      title={t('decision.approve_plan')}
      testId="form-approve_plan"
      {...f}
      onCancel={ctx.onClose}
      onSubmit={() => f.submit(z.object({}), {}, () => ({}))}
    >
      <p>{t('form.approveHint')}</p>
    </FormShell>
  );
}

function RecordFunding({ ctx }: { ctx: Props }) {
  const { t } = useTranslation();
  const ref = useReferenceData();
  const f = useForm('/api/v1/requests/{reference}/actions/record-funding', ctx);
  const [v, setV] = useState({ pledgeRef: '', donor: '', amountUsd: '' as number | string });
  const schema = z.object({
    pledgeRef: text,
    donor: text,
    amountUsd: z.coerce.number({ error: 'v.number' }).int('v.number').min(1, 'v.number'),
  });
  return (
    <FormShell
      title={t('decision.record_funding')}
      testId="form-record_funding"
      {...f}
      onCancel={ctx.onClose}
      onSubmit={() => f.submit(schema, v, (x) => x)}
    >
      <TextInput
        label={t('form.pledgeRef')}
        required
        value={v.pledgeRef}
        onChange={(e) => setV({ ...v, pledgeRef: e.currentTarget.value })}
        error={f.errors.pledgeRef}
      />
      <TextInput
        label={t('form.donor')}
        required
        list="donor-names"
        value={v.donor}
        onChange={(e) => setV({ ...v, donor: e.currentTarget.value })}
        error={f.errors.donor}
      />
      <datalist id="donor-names">
        {(ref.data?.donors ?? []).map((d) => (
          <option key={d.code} value={d.name} />
        ))}
      </datalist>
      <NumberInput
        label={t('form.amountUsd')}
        required
        min={1}
        clampBehavior="none"
        value={v.amountUsd}
        onChange={(x) => setV({ ...v, amountUsd: x })}
        error={f.errors.amountUsd}
      />
    </FormShell>
  );
}

function RecordIndicators({ ctx }: { ctx: Props }) {
  const { t } = useTranslation();
  const ref = useReferenceData();
  const f = useForm('/api/v1/requests/{reference}/actions/record-indicators', ctx);
  const [rat, setRat] = useState<{ instrument: string; depositedOn: string }[]>([]);
  const [laws, setLaws] = useState<{ title: string; status: string; date: string }[]>([]);
  const [trained, setTrained] = useState<number | string>('');
  const schema = z.object({
    ratifications: z.array(z.object({ instrument: text, depositedOn: date })),
    laws: z.array(z.object({ title: text, status: z.enum(['drafted', 'adopted'], { error: 'v.required' }), date })),
    officialsTrained: z.union([z.literal(''), count]),
  });
  return (
    <FormShell
      title={t('decision.record_indicators')}
      testId="form-record_indicators"
      {...f}
      onCancel={ctx.onClose}
      onSubmit={() =>
        f.submit(
          schema,
          { ratifications: rat, laws, officialsTrained: trained },
          (v) =>
            ({
              ratifications: v.ratifications,
              laws: v.laws,
              ...(v.officialsTrained === '' ? {} : { officialsTrained: v.officialsTrained }),
            }) as never,
        )
      }
    >
      {rat.map((r, i) => (
        <Group key={i} grow wrap="wrap">
          <NativeSelect
            label={t('form.instrument')}
            required
            value={r.instrument}
            data={[
              { value: '', label: t('form.choose') },
              ...(ref.data?.instruments ?? []).map((x) => ({
                value: x.code,
                label: `${x.year} · ${ref.instrumentName(x)}`,
              })),
            ]}
            onChange={(e) => setRat(rat.map((x, j) => (j === i ? { ...x, instrument: e.currentTarget.value } : x)))}
            error={f.errors[`ratifications[${i}].instrument`]}
          />
          <TextInput
            type="date"
            label={t('form.depositedOn')}
            required
            value={r.depositedOn}
            onChange={(e) => setRat(rat.map((x, j) => (j === i ? { ...x, depositedOn: e.currentTarget.value } : x)))}
            error={f.errors[`ratifications[${i}].depositedOn`]}
          />
        </Group>
      ))}
      <Button variant="default" onClick={() => setRat([...rat, { instrument: '', depositedOn: '' }])}>
        {t('form.addRatification')}
      </Button>
      {laws.map((l, i) => (
        <Group key={i} grow wrap="wrap">
          <TextInput
            label={t('form.lawTitle')}
            required
            value={l.title}
            onChange={(e) => setLaws(laws.map((x, j) => (j === i ? { ...x, title: e.currentTarget.value } : x)))}
            error={f.errors[`laws[${i}].title`]}
          />
          <NativeSelect
            label={t('form.lawStatus')}
            value={l.status}
            data={[
              { value: 'drafted', label: t('law.drafted') },
              { value: 'adopted', label: t('law.adopted') },
            ]}
            onChange={(e) => setLaws(laws.map((x, j) => (j === i ? { ...x, status: e.currentTarget.value } : x)))}
          />
          <TextInput
            type="date"
            label={t('form.date')}
            required
            value={l.date}
            onChange={(e) => setLaws(laws.map((x, j) => (j === i ? { ...x, date: e.currentTarget.value } : x)))}
            error={f.errors[`laws[${i}].date`]}
          />
        </Group>
      ))}
      <Button variant="default" onClick={() => setLaws([...laws, { title: '', status: 'adopted', date: '' }])}>
        {t('form.addLaw')}
      </Button>
      <NumberInput
        label={t('form.officialsTrained')}
        min={0}
        clampBehavior="none"
        value={trained}
        onChange={setTrained}
        error={f.errors.officialsTrained}
      />
    </FormShell>
  );
}

export function NeedsEditor(props: {
  needs: { thematicArea: string; description: string; modalities: string[] }[];
  onChange(needs: { thematicArea: string; description: string; modalities: string[] }[]): void;
  errors: Record<string, string>;
  prefix: string;
  min?: number;
}) {
  const { t } = useTranslation();
  const ref = useReferenceData();
  const update = (i: number, patch: Partial<(typeof props.needs)[number]>) =>
    props.onChange(props.needs.map((n, j) => (j === i ? { ...n, ...patch } : n)));
  return (
    <Stack>
      {props.needs.map((n, i) => (
        <Fieldset key={i} legend={t('form.needN', { n: i + 1 })}>
          <Stack gap="xs">
            <NativeSelect
              label={t('request.thematicArea')}
              required
              value={n.thematicArea}
              data={[{ value: '', label: t('form.choose') }, ...ref.areaOptions()]}
              onChange={(e) => update(i, { thematicArea: e.currentTarget.value })}
              error={props.errors[`${props.prefix}[${i}].thematicArea`]}
            />
            <Textarea
              label={t('form.description')}
              required
              value={n.description}
              onChange={(e) => update(i, { description: e.currentTarget.value })}
              error={props.errors[`${props.prefix}[${i}].description`]}
            />
            <MultiSelect
              label={t('form.modalities')}
              searchable
              value={n.modalities}
              data={ref.modalityOptions()}
              onChange={(v) => update(i, { modalities: v })}
              error={props.errors[`${props.prefix}[${i}].modalities`]}
            />
            {props.needs.length > (props.min ?? 0) && (
              <Button
                variant="subtle"
                color="red.9"
                onClick={() => props.onChange(props.needs.filter((_, j) => j !== i))}
              >
                {t('form.removeNeed', { n: i + 1 })}
              </Button>
            )}
          </Stack>
        </Fieldset>
      ))}
      <Button
        variant="default"
        onClick={() => props.onChange([...props.needs, { thematicArea: '', description: '', modalities: [] }])}
      >
        {t('form.addNeed')}
      </Button>
      {props.errors[props.prefix] && <div role="alert">{props.errors[props.prefix]}</div>}
    </Stack>
  );
}

export const needSchema = z.object({ thematicArea: text, description: text, modalities: z.array(z.string()) });

function SubmitEvaluation({ ctx }: { ctx: Props }) {
  const { t } = useTranslation();
  const f = useForm('/api/v1/requests/{reference}/actions/submit-evaluation', ctx);
  const [v, setV] = useState({ relevance: '' as number | string, usefulness: '' as number | string, comments: '' });
  const [needs, setNeeds] = useState<{ thematicArea: string; description: string; modalities: string[] }[]>([]);
  const score = z.number({ error: 'v.score' }).int('v.score').min(1, 'v.score').max(5, 'v.score');
  const schema = z.object({ relevance: score, usefulness: score, comments: text, furtherNeeds: z.array(needSchema) });
  return (
    <FormShell
      title={t('decision.submit_evaluation')}
      testId="form-submit_evaluation"
      {...f}
      onCancel={ctx.onClose}
      onSubmit={() => f.submit(schema, { ...v, furtherNeeds: needs }, (x) => x as never)}
    >
      <NumberInput
        label={t('form.relevance')}
        description={t('form.scoreHint')}
        required
        min={1}
        max={5}
        clampBehavior="none"
        value={v.relevance}
        onChange={(x) => setV({ ...v, relevance: x })}
        error={f.errors.relevance}
      />
      <NumberInput
        label={t('form.usefulness')}
        description={t('form.scoreHint')}
        required
        min={1}
        max={5}
        clampBehavior="none"
        value={v.usefulness}
        onChange={(x) => setV({ ...v, usefulness: x })}
        error={f.errors.usefulness}
      />
      <Textarea
        label={t('form.comments')}
        required
        value={v.comments}
        onChange={(e) => setV({ ...v, comments: e.currentTarget.value })}
        error={f.errors.comments}
      />
      <Fieldset legend={t('form.furtherNeeds')}>
        <NeedsEditor needs={needs} onChange={setNeeds} errors={f.errors} prefix="furtherNeeds" />
      </Fieldset>
    </FormShell>
  );
}

/** The form for one decision (by its domain name, e.g. refer_needs). */
export function DecisionForm({ type, ctx }: { type: string; ctx: Props }) {
  const { t } = useTranslation();
  const simple = (
    path: ActionPath,
    field: string,
    label: string,
    multiline = true,
    optional = false,
    extra?: Record<string, unknown>,
  ) => (
    <TextDecision
      ctx={ctx}
      path={path}
      field={field}
      title={t(`decision.${type}`)}
      label={t(label)}
      multiline={multiline}
      optional={optional}
      extra={extra}
      testId={`form-${type}`}
    />
  );
  switch (type) {
    case 'request_information':
      return <RequestInformation ctx={ctx} />;
    case 'provide_information':
      return simple('/api/v1/requests/{reference}/actions/provide-information', 'answer', 'form.answer');
    case 'refer_needs':
      return <ReferNeeds ctx={ctx} />;
    case 'decline':
      return simple('/api/v1/requests/{reference}/actions/decline', 'reason', 'form.reason');
    case 'record_referral_outcome':
      return <RecordReferralOutcome ctx={ctx} />;
    case 'propose_plan':
      return <ProposePlan ctx={ctx} />;
    case 'accept_plan':
      return <PlanVersionDecision ctx={ctx} kind="accept" />;
    case 'request_plan_revision':
      return <PlanVersionDecision ctx={ctx} kind="revise" />;
    case 'record_cted_consultation':
      return simple('/api/v1/requests/{reference}/actions/record-cted-consultation', 'summary', 'form.summary');
    case 'approve_plan':
      return <ApprovePlan ctx={ctx} />;
    case 'record_funding':
      return <RecordFunding ctx={ctx} />;
    case 'complete_delivery':
      return simple('/api/v1/requests/{reference}/actions/complete-delivery', 'summary', 'form.summary', true, true);
    case 'record_indicators':
      return <RecordIndicators ctx={ctx} />;
    case 'submit_evaluation':
      return <SubmitEvaluation ctx={ctx} />;
    case 'withdraw':
      return simple('/api/v1/requests/{reference}/actions/withdraw', 'reason', 'form.reason');
    default:
      return null;
  }
}
