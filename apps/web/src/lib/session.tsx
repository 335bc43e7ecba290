import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useIdle } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { api, onSessionEnd, refreshSession, signIn, signOut, unwrap, type Me } from '../api/client';
import { LANGUAGES, browserLanguage, setLanguage, type Language } from '../i18n/i18n';

interface SessionValue {
  me: Me | null;
  ready: boolean;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  chooseLanguage(lang: Language): Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

/** Signing out after this long without input, matching the server's idle timeout by default. */
const IDLE_MS = 30 * 60_000;

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [ready, setReady] = useState(false);
  const queryClient = useQueryClient();
  const idle = useIdle(IDLE_MS, { initialState: false });

  const adopt = useCallback(async (user: Me | null) => {
    setMe(user);
    const lang = user?.preferredLanguage as Language | null | undefined;
    await setLanguage(lang && LANGUAGES.includes(lang) ? lang : browserLanguage());
  }, []);

  useEffect(() => {
    // A page load restores the session from the refresh cookie, if it is still valid.
    void refreshSession()
      .then(adopt)
      .finally(() => setReady(true));
    onSessionEnd(() => {
      setMe(null);
      queryClient.clear();
    });
  }, [adopt, queryClient]);

  const value = useMemo<SessionValue>(
    () => ({
      me,
      ready,
      async signIn(email, password) {
        await adopt(await signIn(email, password));
      },
      async signOut() {
        await signOut();
        queryClient.clear();
        setMe(null);
      },
      async chooseLanguage(lang) {
        await setLanguage(lang);
        if (me) setMe(unwrap(await api.PATCH('/api/v1/me', { body: { preferredLanguage: lang } })));
      },
    }),
    [me, ready, adopt, queryClient],
  );

  useEffect(() => {
    if (idle && me) void value.signOut();
  }, [idle, me, value]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
