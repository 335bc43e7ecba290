import { Anchor, Box, Button, Group, Loader, NativeSelect, Text, useDirection } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { LANGUAGES, RTL, type Language } from '../i18n/i18n';
import { useSession } from '../lib/session';
import { NotificationBell } from './notification-bell';

const LANGUAGE_NAMES: Record<Language, string> = {
  ar: 'العربية',
  zh: '中文',
  en: 'English',
  fr: 'Français',
  ru: 'Русский',
  es: 'Español',
};

export function Layout() {
  const { t, i18n } = useTranslation();
  const { me, ready, signOut, chooseLanguage } = useSession();
  const location = useLocation();
  const { setDirection } = useDirection();
  const lang = i18n.language as Language;

  useEffect(() => {
    setDirection(RTL.has(lang) ? 'rtl' : 'ltr');
    document.title = t('app.title');
  }, [lang, setDirection, t]);

  if (!ready)
    return (
      <Group justify="center" p="xl">
        <Loader role="status" aria-label={t('common.loading')} />
      </Group>
    );
  if (!me && location.pathname !== '/sign-in') {
    return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }

  const links: { to: string; label: string }[] = !me
    ? []
    : me.role === 'admin'
      ? [{ to: '/admin/users', label: t('nav.users') }]
      : [
          { to: '/', label: t('nav.workQueue') },
          { to: '/requests', label: t('nav.requests') },
          ...(me.role !== 'unodc_manager' && me.role !== 'unodc_supervisor'
            ? [{ to: '/requests/new', label: t('nav.submit') }]
            : []),
          { to: '/reports', label: t('nav.reports') },
        ];

  return (
    <>
      <a href="#main" className="skip-link">
        {t('nav.skip')}
      </a>
      <Box component="header" p="xs" className="app-header">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="md" wrap="wrap">
            <Text fw={700} component="span">
              {t('app.name')}
            </Text>
            {links.length > 0 && (
              <nav aria-label={t('nav.label')}>
                <Group gap="sm" wrap="wrap">
                  {links.map((l) => (
                    <Anchor component={NavLink} key={l.to} to={l.to} end>
                      {l.label}
                    </Anchor>
                  ))}
                </Group>
              </nav>
            )}
          </Group>
          <Group gap="sm" wrap="wrap">
            <NativeSelect
              aria-label={t('nav.language')}
              size="xs"
              value={lang}
              data={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
              onChange={(e) => void chooseLanguage(e.currentTarget.value as Language)}
            />
            {me && (
              <>
                <NotificationBell />
                <Text size="sm" data-testid="who">
                  {me.displayName} · {t(`role.${me.role}`)}
                  {me.memberState ? ` · ${me.memberState}` : ''}
                </Text>
                <Button size="xs" variant="default" onClick={() => void signOut()}>
                  {t('nav.signOut')}
                </Button>
              </>
            )}
          </Group>
        </Group>
      </Box>
      <Box component="main" id="main" tabIndex={-1} p="md">
        <Outlet />
      </Box>
    </>
  );
}
