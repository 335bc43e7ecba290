/**
 * Schemas built on first use. The workflow sandbox evaluates the bundled modules again for every
 * workflow execution it starts or replays (the SDK's reusable V8 context shares only preloaded
 * modules, frozen, and zod writes to its schemas), so a schema built at module scope costs every
 * workflow its construction time and heap, used or not. Deferred, an execution builds only the
 * schemas of the decisions it validates (issue 11, P6; docs/PERFORMANCE.md).
 */

/** `build`'s value, built at the first call and the same object at every later one. */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

/**
 * An object with a property per builder, each built at its first read and then a plain value
 * (same identity at every read, so a schema registered by `.meta({ id })` is registered once).
 */
export function lazyRecord<F extends Record<string, () => unknown>>(
  builders: F,
): { readonly [K in keyof F]: ReturnType<F[K]> } {
  const record = {} as { [K in keyof F]: ReturnType<F[K]> };
  for (const key of Object.keys(builders) as (keyof F & string)[]) {
    Object.defineProperty(record, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = builders[key]();
        Object.defineProperty(record, key, { value, enumerable: true });
        return value;
      },
    });
  }
  return record;
}
