import { z } from 'zod';
import { lazyRecord, once } from './lazy';
import { ACTIVITY_PAYLOAD_SCHEMAS, DECISION_PAYLOAD_SCHEMAS } from './payloads';

describe('schemas built on first use', () => {
  it('once builds at the first call only, and always answers the same object', () => {
    const build = jest.fn(() => ({ built: true }));
    const get = once(build);
    expect(build).not.toHaveBeenCalled();
    const first = get();
    expect(get()).toBe(first);
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('lazyRecord builds each property at its first read, once, and lists every key', () => {
    const a = jest.fn(() => z.string());
    const b = jest.fn(() => z.number());
    const record = lazyRecord({ a, b });
    expect(Object.keys(record)).toEqual(['a', 'b']);
    expect(a).not.toHaveBeenCalled();
    const schema = record.a;
    expect(record.a).toBe(schema);
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).not.toHaveBeenCalled();
    expect(record.a.parse('x')).toBe('x');
    expect(Object.hasOwn(record, 'b')).toBe(true);
  });

  it('keeps one instance per schema with an OpenAPI id, shared by every payload that nests it', () => {
    const nested = (s: z.ZodType) => (s as z.ZodArray<z.ZodType>).def.element;
    const proposed = nested(DECISION_PAYLOAD_SCHEMAS.propose_plan.shape.activities);
    expect(z.globalRegistry.get(proposed)?.id).toBe('PlannedActivity');
    const evaluation = nested(DECISION_PAYLOAD_SCHEMAS.submit_evaluation.shape.furtherNeeds.unwrap());
    expect(evaluation).toBe(nested(DECISION_PAYLOAD_SCHEMAS.submit_evaluation.shape.furtherNeeds.unwrap()));
    expect(ACTIVITY_PAYLOAD_SCHEMAS.cancel).toBe(ACTIVITY_PAYLOAD_SCHEMAS.cancel);
  });
});
