import type { IncomingMessage, ServerResponse } from 'http';
import helmet from 'helmet';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * helmet's headers, worked out once: helmet() runs a chain of thirteen middlewares that build the
 * same static headers on every response (its default configuration has nothing per request). Here
 * helmet runs once at boot against a recording response, and each response gets the recorded
 * headers set, and the recorded removals (X-Powered-By) done, in the same order.
 * security-headers.spec.ts checks a response gets exactly what helmet() gives it.
 */
export function securityHeaders(): Middleware {
  const steps: ({ set: string; value: number | string | readonly string[] } | { remove: string })[] = [];
  const recorder = {
    setHeader: (name: string, value: number | string | readonly string[]) => steps.push({ set: name, value }),
    removeHeader: (name: string) => steps.push({ remove: name }),
  };
  let failed: unknown;
  helmet()({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => (failed = err));
  if (failed) throw failed;
  return (_req, res, next) => {
    for (const step of steps) {
      if ('set' in step) res.setHeader(step.set, step.value);
      else res.removeHeader(step.remove);
    }
    next();
  };
}
