import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type ReferenceData } from '../api/client';
import { useFormat } from './format';

/** Reference data for pickers and labels, fetched once per session. */
export function useReferenceData() {
  const { i18n } = useTranslation();
  const f = useFormat();
  const q = useQuery({
    queryKey: ['reference-data'],
    queryFn: async () => unwrap(await api.GET('/api/v1/reference-data')),
    staleTime: Infinity,
  });
  const data: ReferenceData | undefined = q.data;
  const states = new Map((data?.memberStates ?? []).map((s) => [s.iso3, s]));
  const zh = i18n.language === 'zh';
  return {
    data,
    isLoading: q.isLoading,
    /** Localised country name (Intl), falling back to the English name, then the code. */
    stateName: (iso3: string) => {
      const s = states.get(iso3);
      return s ? f.country(s.iso2, s.name) : iso3;
    },
    stateOptions: () =>
      (data?.memberStates ?? [])
        .map((s) => ({ value: s.iso3, label: f.country(s.iso2, s.name) }))
        .sort((a, b) => a.label.localeCompare(b.label, i18n.language)),
    orgName: (o: { name: string; nameZh: string | null }) => (zh && o.nameZh) || o.name,
  };
}
