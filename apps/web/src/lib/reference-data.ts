import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type ReferenceData } from '../api/client';
import { useFormat } from './format';

/** Reference data for pickers and labels, fetched once per session. */
export function useReferenceData() {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const q = useQuery({
    queryKey: ['reference-data'],
    queryFn: async () => unwrap(await api.GET('/api/v1/reference-data')),
    staleTime: Infinity,
  });
  const data: ReferenceData | undefined = q.data;
  const states = new Map((data?.memberStates ?? []).map((s) => [s.iso3, s]));
  const zh = i18n.language === 'zh';
  // Thematic areas and modalities are worded in the translation files by their codes; the API's
  // English name is the fallback for a code the web does not know yet.
  const areaName = (code: string) =>
    i18n.exists(`thematicArea.${code}`)
      ? t(`thematicArea.${code}`)
      : (data?.thematicAreas.find((a) => a.code === code)?.name ?? code);
  const modalityName = (code: string) =>
    i18n.exists(`modality.${code}`)
      ? t(`modality.${code}`)
      : (data?.modalities.find((m) => m.code === code)?.name ?? code);
  const sorted = (items: { value: string; label: string }[]) =>
    items.sort((a, b) => a.label.localeCompare(b.label, i18n.language));
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
    areaName,
    modalityName,
    /** A universal instrument's short title in the current language (English from the API otherwise). */
    instrumentName: (x: { code: string; shortTitle: string }) =>
      i18n.exists(`instrument.${x.code}`) ? t(`instrument.${x.code}`) : x.shortTitle,
    /** Thematic areas for a picker, in the current language and its alphabetical order. */
    areaOptions: () => sorted((data?.thematicAreas ?? []).map((a) => ({ value: a.code, label: areaName(a.code) }))),
    modalityOptions: () =>
      sorted((data?.modalities ?? []).map((m) => ({ value: m.code, label: modalityName(m.code) }))),
    orgName: (o: { name: string; nameZh: string | null }) => (zh && o.nameZh) || o.name,
  };
}
