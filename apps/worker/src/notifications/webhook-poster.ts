import { Agent, fetch } from 'undici';
import { type AppConfig, publicOnlyLookup, urlTargetProblem } from '@app/common';

/**
 * POSTs one signed webhook message and answers the HTTP status. Unless private targets are
 * allowed, a URL whose host is, or resolves to, a private or local address is refused (an error,
 * logged as the attempt's error): checked on the literal host first, since an IP address is
 * connected to without a lookup, then on every address the name resolves to when connecting.
 * Redirects are not followed (a 3xx is a failed attempt).
 */
export function webhookPoster(config: Pick<AppConfig['webhooks'], 'allowPrivateTargets' | 'timeoutMs'>) {
  const agent = new Agent(config.allowPrivateTargets ? {} : { connect: { lookup: publicOnlyLookup } });
  return async (url: string, headers: Record<string, string>, body: string): Promise<number> => {
    const problem = config.allowPrivateTargets ? null : urlTargetProblem(url);
    if (problem) throw new Error(`url ${problem}`);
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      dispatcher: agent,
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    await res.body?.cancel();
    return res.status;
  };
}
