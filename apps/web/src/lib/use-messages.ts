import { useTranslation } from 'react-i18next';
import { renderMsg, type Msg } from './messages';

/** Words stored messages in the current language (re-rendered when it changes). */
export function useMessages() {
  const { t, i18n } = useTranslation();
  const wording = {
    lang: i18n.language,
    exists: (k: string) => i18n.exists(k),
    t: (k: string, p?: Record<string, unknown>) => t(k, p ?? {}),
  };
  const one = (m: Msg | null | undefined): string | null => (m ? renderMsg(m, wording) : null);
  return {
    one,
    all: (ms: Record<string, Msg>): Record<string, string> =>
      Object.fromEntries(Object.entries(ms).map(([k, m]) => [k, one(m)!])),
  };
}
