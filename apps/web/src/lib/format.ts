import { useTranslation } from 'react-i18next';

/** Intl formatters for the current language: dates, numbers, amounts and country names. */
export function useFormat() {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  const dateFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  const dateTimeFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const numberFmt = new Intl.NumberFormat(lang);
  const usdFmt = new Intl.NumberFormat(lang, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
  let regionNames: Intl.DisplayNames | null = null;
  try {
    regionNames = new Intl.DisplayNames([lang], { type: 'region' });
  } catch {
    regionNames = null;
  }
  return {
    lang,
    date: (iso: string | null | undefined) =>
      iso ? dateFmt.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso)) : '—',
    dateTime: (iso: string | null | undefined) => (iso ? dateTimeFmt.format(new Date(iso)) : '—'),
    number: (n: number | null | undefined) => (n === null || n === undefined ? '—' : numberFmt.format(n)),
    usd: (n: number | null | undefined) => (n === null || n === undefined ? '—' : usdFmt.format(n)),
    /** A country's name in the current language (Intl.DisplayNames from its ISO alpha-2 code). */
    country: (iso2: string | undefined, fallback: string) => (iso2 && regionNames?.of(iso2)) || fallback,
  };
}
