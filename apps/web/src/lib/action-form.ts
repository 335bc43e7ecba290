import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { z } from 'zod';
import type { paths } from '../api/schema';
import { ApiError, api, newDecisionId, unwrap } from '../api/client';
import { fieldErrorMsg, msg, type Msg } from './messages';
import { useMessages } from './use-messages';

type DecisionPath = Extract<keyof paths, `/api/v1/requests/{reference}/actions/${string}`>;
type ActivityPath = Extract<keyof paths, `/api/v1/requests/{reference}/activities/{key}/actions/${string}`>;
export type ActionPath = DecisionPath | ActivityPath;
export type BodyOf<P extends ActionPath> = paths[P] extends {
  post: { requestBody?: { content: { 'application/json': infer B } } };
}
  ? B
  : never;

/** `referrals[0].rationale`: the way the API names a field in problem+json `errors`. */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
}

/**
 * One decision form: validates with its zod schema, posts with a decision id generated once per
 * form (a double click or a retry is applied once), and puts the server's field errors on the
 * fields. A 409 (someone acted first, or the stage moved on) is shown as a message.
 */
export function useActionForm<P extends ActionPath>(
  path: P,
  reference: string,
  activityKey?: string,
  /** Called once the decision is recorded (the form then closes: the page says so). */
  onDone?: () => void,
) {
  const messages = useMessages();
  const queryClient = useQueryClient();
  const decisionId = useRef(newDecisionId());
  // Keys and params, worded when rendered: they follow a change of language.
  const [errors, setErrors] = useState<Record<string, Msg>>({});
  const [formError, setFormError] = useState<Msg | null>(null);
  const [done, setDone] = useState(false);

  const mutation = useMutation({
    mutationFn: async (body: BodyOf<P>) => {
      const params = { path: activityKey ? { reference, key: activityKey } : { reference } };
      const post = api.POST as unknown as (
        p: string,
        init: { params: unknown; body: unknown },
      ) => Promise<{ data?: unknown; error?: unknown; response: Response }>;
      return unwrap(await post(path, { params, body: { ...(body as object), decisionId: decisionId.current } }));
    },
    onSuccess: async () => {
      decisionId.current = newDecisionId();
      setDone(true);
      onDone?.();
      await queryClient.invalidateQueries({ queryKey: ['request', reference] });
      await queryClient.invalidateQueries({ queryKey: ['work-queue'] });
    },
    onError: (err) => {
      if (!(err instanceof ApiError)) return setFormError(msg('errors.network'));
      const fields: Record<string, Msg> = {};
      for (const e of err.problem.errors ?? []) fields[e.field] = fieldErrorMsg(e);
      setErrors(fields);
      if (err.status === 409) {
        setFormError(msg('errors.conflict', { detail: err.problem.detail ?? '' }));
        void queryClient.invalidateQueries({ queryKey: ['request', reference] });
      } else if (err.status === 503) setFormError(msg('errors.retry'));
      else
        setFormError(
          err.problem.errors?.length
            ? msg('errors.fields')
            : err.problem.detail
              ? { fallback: err.problem.detail }
              : msg('errors.generic'),
        );
    },
  });

  return {
    errors: messages.all(errors),
    formError: messages.one(formError),
    done,
    pending: mutation.isPending,
    /** Validates `value` with `schema`; on success posts it. */
    submit<S extends z.ZodType>(schema: S, value: unknown, toBody: (v: z.infer<S>) => BodyOf<P>) {
      if (mutation.isPending) return;
      setFormError(null);
      setDone(false);
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        const fields: Record<string, Msg> = {};
        for (const issue of parsed.error.issues) fields[fieldName(issue.path)] ??= msg(issue.message);
        setErrors(fields);
        setFormError(msg('errors.fields'));
        return;
      }
      setErrors({});
      mutation.mutate(toBody(parsed.data));
    },
  };
}
