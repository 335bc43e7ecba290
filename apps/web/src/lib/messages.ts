/**
 * A message kept in state as a translation key and its params, never as translated text: it is
 * worded when rendered, so it follows a change of language (a banner set in French reads in
 * Arabic after a switch). `fallback` is shown as is when there is no key or no such string
 * (the server's English reason for a rule the web does not know).
 */
export interface Msg {
  key?: string;
  params?: Record<string, unknown>;
  fallback?: string;
}

export const msg = (key: string, params?: Record<string, unknown>): Msg => ({ key, ...(params ? { params } : {}) });

/** A field error from the API (problem+json `errors`): worded by its `rule`, else its English `reason`. */
export function fieldErrorMsg(e: { reason: string; rule?: string; params?: Record<string, string | number> }): Msg {
  if (!e.rule || e.rule === 'invalid') return { fallback: e.reason };
  return { key: `rule.${e.rule}`, ...(e.params ? { params: e.params } : {}), fallback: e.reason };
}

export interface Wording {
  t(key: string, params?: Record<string, unknown>): string;
  exists(key: string): boolean;
  lang: string;
}

/** The message in the current language; numbers in params are formatted for it (20 000, ٢٠٬٠٠٠). */
export function renderMsg(m: Msg, w: Wording): string {
  if (!m.key || !w.exists(m.key)) return m.fallback ?? m.key ?? '';
  const fmt = new Intl.NumberFormat(w.lang);
  const params = Object.fromEntries(
    Object.entries(m.params ?? {}).map(([k, v]) => [k, typeof v === 'number' ? fmt.format(v) : v]),
  );
  return w.t(m.key, params);
}
