import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';

export const LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
export const RTL: ReadonlySet<Language> = new Set(['ar']);

/** Each language is its own chunk, fetched when chosen; English is bundled as the fallback. */
const loaders: Record<Language, () => Promise<{ default: Record<string, unknown> }>> = {
  ar: () => import('./locales/ar.json'),
  zh: () => import('./locales/zh.json'),
  en: () => Promise.resolve({ default: en }),
  fr: () => import('./locales/fr.json'),
  ru: () => import('./locales/ru.json'),
  es: () => import('./locales/es.json'),
};

/** The browser's first preferred language that CTAP speaks, else English. */
export function browserLanguage(): Language {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0] as Language;
    if (LANGUAGES.includes(base)) return base;
  }
  return 'en';
}

export async function setLanguage(lang: Language): Promise<void> {
  if (!i18n.hasResourceBundle(lang, 'translation')) {
    i18n.addResourceBundle(lang, 'translation', (await loaders[lang]()).default);
  }
  await i18n.changeLanguage(lang);
  document.documentElement.lang = lang;
  document.documentElement.dir = RTL.has(lang) ? 'rtl' : 'ltr';
}

export async function initI18n(): Promise<void> {
  await i18n.use(initReactI18next).init({
    resources: { en: { translation: en } },
    lng: 'en',
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    // Missing keys are collected where the browser tests can read them (none is expected).
    saveMissing: true,
    missingKeyHandler: (lngs, _ns, key) => {
      const w = window as unknown as { __ctapMissingKeys?: string[] };
      (w.__ctapMissingKeys ??= []).push(`${lngs.join(',')}:${key}`);
    },
  });
  await setLanguage(browserLanguage());
}
