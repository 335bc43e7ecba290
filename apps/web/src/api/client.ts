import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Me = Schemas['MeDto'];
export type RequestDetail = Schemas['RequestDetailDto'];
export type RequestSummary = Schemas['RequestSummaryDto'];
export type ReferenceData = Schemas['ReferenceDataDto'];

/** A problem+json answer, thrown by `unwrap` so forms can put `errors[].field` on their fields. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { code?: string; detail?: string; errors?: { field: string; reason: string }[] },
  ) {
    super(problem.detail ?? `HTTP ${status}`);
  }
}

let accessToken: string | null = null;
let onSessionEnded: () => void = () => {};
let refreshing: Promise<boolean> | null = null;

export function onSessionEnd(fn: () => void): void {
  onSessionEnded = fn;
}

/** Rotates the HttpOnly refresh cookie for a new access token; one refresh at a time. */
export function refreshSession(): Promise<Me | null> {
  const run = fetch('/api/v1/auth/session/refresh', {
    method: 'POST',
    headers: { 'x-ctap-csrf': '1' },
    credentials: 'same-origin',
  }).then(async (res) => {
    if (!res.ok) return null;
    const body = (await res.json()) as Schemas['SessionDto'];
    accessToken = body.accessToken;
    return body.user;
  });
  refreshing = run.then((me) => me !== null);
  return run;
}

const auth: Middleware = {
  onRequest({ request }) {
    if (accessToken) request.headers.set('authorization', `Bearer ${accessToken}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '', fetch: fetchWithRefresh });

/** On a 401, refreshes the session once and retries; if that fails, the session has ended. */
async function fetchWithRefresh(input: Request): Promise<Response> {
  const retry = input.clone();
  const res = await fetch(input);
  if (res.status !== 401 || !accessToken) return res;
  const ok = await (refreshing ?? refreshSession().then((me) => me !== null));
  refreshing = null;
  if (!ok) {
    accessToken = null;
    onSessionEnded();
    return res;
  }
  retry.headers.set('authorization', `Bearer ${accessToken}`);
  return fetch(retry);
}
api.use(auth);

/** The data of an openapi-fetch answer, or an ApiError with the problem details. */
export function unwrap<T>(r: { data?: T; error?: unknown; response: Response }): T {
  if (r.error !== undefined || !r.response.ok) {
    throw new ApiError(r.response.status, (r.error ?? {}) as ApiError['problem']);
  }
  return r.data as T;
}

export async function signIn(email: string, password: string): Promise<Me> {
  const r = await api.POST('/api/v1/auth/session', { body: { email, password } });
  const body = unwrap(r);
  accessToken = body.accessToken;
  return body.user;
}

export async function signOut(): Promise<void> {
  await api.DELETE('/api/v1/auth/session', { params: { header: { 'X-CTAP-CSRF': '1' } } }).catch(() => undefined);
  accessToken = null;
}

export function newDecisionId(): string {
  return crypto.randomUUID();
}

/** The access token, for the few calls openapi-fetch does not make (file downloads). */
export function currentToken(): string | null {
  return accessToken;
}
