import { readFileSync } from 'fs';
import type { TLSConfig } from '@temporalio/client';
import type { AppConfig } from '@app/common';

/** Same options for the client (API) and the native connection (worker): local dev server, cluster or Temporal Cloud. */
export function temporalConnectionOptions(t: AppConfig['temporal']): {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
} {
  const tls: TLSConfig | boolean | undefined =
    t.tlsCertPath && t.tlsKeyPath
      ? { clientCertPair: { crt: readFileSync(t.tlsCertPath), key: readFileSync(t.tlsKeyPath) } }
      : t.tls || undefined;
  return { address: t.address, ...(tls ? { tls } : {}), ...(t.apiKey ? { apiKey: t.apiKey } : {}) };
}
