import { Alert, Button, Fieldset, Group, NativeSelect, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { z } from 'zod';
import { ApiError, api, newDecisionId, unwrap } from '../api/client';
import { NeedsEditor, needSchema } from '../components/decision-forms';
import { fieldName } from '../lib/action-form';
import { useReferenceData } from '../lib/reference-data';
import { useSession } from '../lib/session';

interface Draft {
  title: string;
  urgency: string;
  needs: { thematicArea: string; description: string; modalities: string[] }[];
  memberState: string;
  consentGrantedBy: string;
  consentGrantedAt: string;
  consentScope: string;
}

const EMPTY: Draft = {
  title: '',
  urgency: 'routine',
  needs: [{ thematicArea: '', description: '', modalities: [] }],
  memberState: '',
  consentGrantedBy: '',
  consentGrantedAt: '',
  consentScope: '',
};

const text = z.string().trim().min(1, 'v.required');

/** A new request: kept as a draft in this browser (per user) until it is sent. */
export function Component() {
  const { t } = useTranslation();
  const { me } = useSession();
  const ref = useReferenceData();
  const navigate = useNavigate();
  const draftKey = `ctap:draft:${me?.id ?? 'anonymous'}`;
  const [draft, setDraft] = useState<Draft>(() => {
    try {
      return { ...EMPTY, ...(JSON.parse(localStorage.getItem(draftKey) ?? 'null') ?? {}) };
    } catch {
      return EMPTY;
    }
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const idempotencyKey = useRef(newDecisionId());
  const onBehalf = me?.role === 'cted_officer' || me?.role === 'cted_supervisor';

  useEffect(() => localStorage.setItem(draftKey, JSON.stringify(draft)), [draft, draftKey]);

  const schema = z.object({
    title: text,
    urgency: z.enum(['routine', 'urgent']),
    needs: z.array(needSchema).min(1, 'v.required'),
    memberState: onBehalf ? z.string().regex(/^[A-Z]{3}$/, 'v.required') : z.string(),
    consentGrantedBy: onBehalf ? text : z.string(),
    consentGrantedAt: onBehalf ? z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'v.date') : z.string(),
    consentScope: onBehalf ? text : z.string(),
  });

  const submit = useMutation({
    mutationFn: async (d: Draft) =>
      unwrap(
        await api.POST('/api/v1/requests', {
          params: { header: { 'Idempotency-Key': idempotencyKey.current } },
          body: {
            title: d.title.trim(),
            urgency: d.urgency as 'routine',
            needs: d.needs.map((n) => ({ ...n, description: n.description.trim() })) as never,
            ...(onBehalf
              ? {
                  memberState: d.memberState,
                  consent: {
                    grantedBy: d.consentGrantedBy.trim(),
                    grantedAt: d.consentGrantedAt,
                    scope: d.consentScope.trim(),
                  },
                }
              : {}),
          },
        } as never),
      ),
    onSuccess: (created: { reference: string }) => {
      localStorage.removeItem(draftKey);
      idempotencyKey.current = newDecisionId();
      void navigate(`/requests/${created.reference}`);
    },
    onError: (err) => {
      if (!(err instanceof ApiError)) return setFormError(t('errors.network'));
      const fields: Record<string, string> = {};
      for (const e of err.problem.errors ?? []) {
        const name = e.field.replace(
          /^consent\.(grantedBy|grantedAt|scope)$/,
          (_m, k: string) => `consent${k[0].toUpperCase()}${k.slice(1)}`,
        );
        fields[name] = e.reason;
      }
      setErrors(fields);
      setFormError(err.problem.errors?.length ? t('errors.fields') : (err.problem.detail ?? t('errors.generic')));
    },
  });

  function onSubmit() {
    setFormError(null);
    const parsed = schema.safeParse(draft);
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const i of parsed.error.issues) fields[fieldName(i.path)] ??= t(i.message);
      setErrors(fields);
      setFormError(t('errors.fields'));
      return;
    }
    setErrors({});
    if (!submit.isPending) submit.mutate(draft);
  }

  return (
    <Stack maw={860}>
      <Title order={1}>{t('submit.title')}</Title>
      <Text>
        {onBehalf
          ? t('submit.introCted')
          : t('submit.intro', { state: me?.memberState ? ref.stateName(me.memberState) : '' })}
      </Text>
      <form
        noValidate
        data-testid="submit-form"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <Stack>
          {formError && (
            <Alert color="red" role="alert" data-testid="form-error">
              {formError}
            </Alert>
          )}
          {onBehalf && (
            <Fieldset legend={t('submit.onBehalf')}>
              <Stack gap="xs">
                <NativeSelect
                  label={t('request.memberState')}
                  required
                  value={draft.memberState}
                  data={[{ value: '', label: t('form.choose') }, ...ref.stateOptions()]}
                  onChange={(e) => setDraft({ ...draft, memberState: e.currentTarget.value })}
                  error={errors.memberState}
                />
                <TextInput
                  label={t('submit.consentGrantedBy')}
                  required
                  value={draft.consentGrantedBy}
                  onChange={(e) => setDraft({ ...draft, consentGrantedBy: e.currentTarget.value })}
                  error={errors.consentGrantedBy}
                />
                <TextInput
                  type="date"
                  label={t('submit.consentGrantedAt')}
                  required
                  value={draft.consentGrantedAt}
                  onChange={(e) => setDraft({ ...draft, consentGrantedAt: e.currentTarget.value })}
                  error={errors.consentGrantedAt}
                />
                <Textarea
                  label={t('submit.consentScope')}
                  required
                  value={draft.consentScope}
                  onChange={(e) => setDraft({ ...draft, consentScope: e.currentTarget.value })}
                  error={errors.consentScope}
                />
              </Stack>
            </Fieldset>
          )}
          <TextInput
            label={t('request.title')}
            required
            value={draft.title}
            onChange={(e) => setDraft({ ...draft, title: e.currentTarget.value })}
            error={errors.title}
          />
          <NativeSelect
            label={t('submit.urgency')}
            value={draft.urgency}
            data={[
              { value: 'routine', label: t('urgency.routine') },
              { value: 'urgent', label: t('urgency.urgent') },
            ]}
            onChange={(e) => setDraft({ ...draft, urgency: e.currentTarget.value })}
            error={errors.urgency}
          />
          <Fieldset legend={t('submit.needs')}>
            <NeedsEditor
              needs={draft.needs}
              onChange={(needs) => setDraft({ ...draft, needs })}
              errors={errors}
              prefix="needs"
              min={1}
            />
          </Fieldset>
          <Text size="sm">{t('submit.draftNote')}</Text>
          <Group>
            <Button type="submit" loading={submit.isPending}>
              {t('submit.send')}
            </Button>
            <Button variant="default" onClick={() => setDraft(EMPTY)}>
              {t('submit.clear')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
