import { z } from 'zod';
import { fieldErrors } from './issues';
import { DECISION_PAYLOAD_SCHEMAS } from './payloads';
import { isoDate, text } from './primitives';

const errorsOf = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected a refusal');
  return fieldErrors(r.error).map(({ field, rule, params }) => ({ field, rule, params }));
};

describe('field errors name a machine-readable rule and its params beside the English reason', () => {
  const title = z.strictObject({ title: text(200, 5) });

  it.each([
    [{}, 'required', undefined],
    [{ title: 'x'.repeat(201) }, 'too_long', { min: 5, max: 200 }],
    [{ title: 'abc' }, 'too_short', { min: 5, max: 200 }],
    [{ title: '     \u200B' }, 'blank', undefined],
    [{ title: 'Which\u0007 ministry?' }, 'control_characters', undefined],
    [{ title: 'Which \u202E ministry?' }, 'bidi_controls', undefined],
    [{ title: 'lone \uD800 surrogate' }, 'lone_surrogate', undefined],
    [{ title: 42 }, 'wrong_type', { expected: 'string' }],
  ])('%j is refused with rule %s', (value, rule, params) => {
    expect(errorsOf(title, value)).toEqual([{ field: 'title', rule, params }]);
  });

  it('keeps the English reason', () => {
    const r = title.safeParse({ title: 'x'.repeat(201) });
    expect(fieldErrors(r.error!)[0].reason).toBe('must be 5 to 200 characters');
  });

  it('maps unknown fields, enums, dates, numbers, duplicates and date order', () => {
    expect(errorsOf(title, { title: 'Valid title', extra: 1 })).toEqual([
      { field: 'extra', rule: 'unknown_field', params: undefined },
    ]);
    expect(errorsOf(z.object({ d: isoDate }), { d: '2026-02-30' })).toEqual([
      { field: 'd', rule: 'not_a_date', params: { min: '1945-01-01', max: '2100-12-31' } },
    ]);
    expect(errorsOf(z.object({ n: z.int().min(0).max(10) }), { n: 11 })).toEqual([
      { field: 'n', rule: 'too_large', params: { max: 10 } },
    ]);
    expect(errorsOf(z.object({ n: z.int().min(0) }), { n: -5.5 })[0].rule).toBe('not_integer');
    expect(errorsOf(z.object({ q: z.array(z.string()).min(1) }), { q: [] })).toEqual([
      { field: 'q', rule: 'too_few', params: { min: 1 } },
    ]);
    const withdraw = DECISION_PAYLOAD_SCHEMAS.submit_evaluation;
    const dup = errorsOf(withdraw, {
      relevance: 9,
      usefulness: 4,
      comments: 'Fine',
      furtherNeeds: [
        { thematicArea: 'ratification', description: 'Ratify the conventions' },
        { thematicArea: 'ratification', description: 'Ratify the conventions' },
      ],
    });
    expect(dup).toEqual(
      expect.arrayContaining([
        { field: 'relevance', rule: 'too_large', params: { max: 5 } },
        { field: 'furtherNeeds[1]', rule: 'duplicate', params: { first: 0 } },
      ]),
    );
    const area = errorsOf(z.object({ a: z.enum(['x', 'y']) }), { a: 'z' });
    expect(area).toEqual([{ field: 'a', rule: 'not_one_of', params: { values: 'x, y' } }]);
  });
});
