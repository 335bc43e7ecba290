import * as fc from 'fast-check';
import { z } from 'zod';
import { DECISION_PAYLOAD_SCHEMAS, submitRequestSchema } from './payloads';
import { fieldErrors, firstDifference } from './issues';
import { codePoints, email, isCalendarDate, isoDate, iso3, normaliseText, text } from './primitives';
import { listRequestsQuerySchema } from './queries';

// eslint-disable-next-line no-control-regex -- the point: find the control characters
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Strings of any UTF-16 units, biased towards the ones that hurt: NUL, controls, surrogates, marks. */
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({
    unit: fc.constantFrom(
      '\u0000',
      '\u0007',
      '\r',
      '\n',
      '\t',
      ' ',
      '\uD800',
      '\uDC00',
      'e',
      '\u0301',
      '\u263A',
      '\uFE0F',
      'a',
    ),
    maxLength: 60,
  }),
  fc.string({ unit: 'grapheme', maxLength: 250 }),
);

describe('text: whatever it accepts, Postgres (varchar, jsonb) and Temporal can store', () => {
  it('accepted text is NFC, trimmed, without NUL, controls or lone surrogates, within the limit in code points', () => {
    const schema = text(50);
    fc.assert(
      fc.property(nasty, (input) => {
        const result = schema.safeParse(input);
        if (!result.success) return;
        const out = result.data;
        expect(out).toBe(out.normalize('NFC'));
        expect(out).toBe(out.trim());
        expect(out).not.toMatch(CONTROL);
        expect(out).not.toMatch(LONE_SURROGATE);
        expect(codePoints(out)).toBeGreaterThanOrEqual(1);
        expect(codePoints(out)).toBeLessThanOrEqual(50);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what it cannot store, and accepts everything else it normalises', () => {
    fc.assert(
      fc.property(nasty, (input) => {
        const normal = normaliseText(input);
        const storable =
          !CONTROL.test(normal) && !LONE_SURROGATE.test(normal) && codePoints(normal) >= 1 && codePoints(normal) <= 50;
        expect(text(50).safeParse(input).success).toBe(storable);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['Emoji ' + '\u263A\uFE0F'.repeat(194), 'must be 5 to 200 characters'],
    ['     ', 'must not be blank'],
    ['Which ministry\u0000 leads?', 'must not contain control characters (tab and newline are allowed)'],
    ['lone \uD800 surrogate', 'must be valid Unicode text (a lone surrogate was found)'],
  ])('refuses %j as a title', (title, reason) => {
    const r = submitRequestSchema.safeParse({ title, urgency: 'routine', needs: [] });
    expect(fieldErrors(r.error!).find((e) => e.field === 'title')).toEqual({ field: 'title', reason });
  });

  it('counts code points: 200 astral characters fit a 200-character title', () => {
    expect(text(200).safeParse('\u{1F30D}'.repeat(200)).success).toBe(true);
    expect(text(200).safeParse('\u{1F30D}'.repeat(201)).success).toBe(false);
  });

  it('normalises line breaks, composition and surrounding space', () => {
    expect(text(100).parse('  Cafe\u0301\r\nline\rtwo \t')).toBe('Caf\u00e9\nline\ntwo');
  });
});

describe('dates', () => {
  it.each([
    '2026-02-30',
    '2026',
    '2026-W05',
    '2026-1-5',
    '2026-02-28T00:00:00Z',
    '1944-12-31',
    '2101-01-01',
    '+2026-01-01',
  ])('refuses %s', (value) => expect(isoDate.safeParse(value).success).toBe(false));

  it.each(['1945-01-01', '2028-02-29', '2100-12-31'])('accepts %s', (value) =>
    expect(isoDate.parse(value)).toBe(value),
  );

  it('accepts exactly the calendar dates of the declared range', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }), (d) => {
        const value = d.toISOString().slice(0, 10);
        expect(isCalendarDate(value)).toBe(value >= '1945-01-01' && value <= '2100-12-31');
      }),
    );
  });
});

describe('shapes, numbers and identifiers', () => {
  it('refuses arrays in arrays, unknown keys and own __proto__ / constructor keys', () => {
    const nested = submitRequestSchema.safeParse({ title: 'Nested needs', urgency: 'routine', needs: [[]] });
    expect(fieldErrors(nested.error!).map((e) => e.field)).toContain('needs[0]');
    for (const key of ['__proto__', 'constructor', 'extra']) {
      const body = JSON.parse(`{"reason":"x","${key}":{}}`);
      const r = DECISION_PAYLOAD_SCHEMAS.decline.safeParse(body);
      expect(fieldErrors(r.error!)).toEqual([{ field: key, reason: 'is not a known field' }]);
    }
  });

  it('says "required" once for a missing field', () => {
    const r = DECISION_PAYLOAD_SCHEMAS.decline.safeParse({});
    expect(fieldErrors(r.error!)).toEqual([{ field: 'reason', reason: 'required' }]);
  });

  it('counts are whole, non-negative and bounded', () => {
    const funding = DECISION_PAYLOAD_SCHEMAS.record_funding;
    for (const amountUsd of [0, -1, 1.5, Number.MAX_SAFE_INTEGER, 1e300])
      expect(funding.safeParse({ pledgeRef: 'P', donor: 'D', amountUsd }).success).toBe(false);
    expect(funding.parse({ pledgeRef: 'P', donor: 'D', amountUsd: 35000 }).amountUsd).toBe(35000);
  });

  it('compares ISO 3166 codes in capitals and e-mail addresses trimmed in lower case', () => {
    expect(iso3.parse(' ken ')).toBe('KEN');
    expect(iso3.safeParse('KE').success).toBe(false);
    expect(email.parse('  Focal.UGA@CTAP.local ')).toBe('focal.uga@ctap.local');
  });

  it('query strings: one value per parameter, real dates, no NUL in q', () => {
    const issues = (q: unknown) => fieldErrors(listRequestsQuerySchema.safeParse(q).error!).map((e) => e.field);
    expect(issues({ q: '\u0000' })).toEqual(['q']);
    expect(issues({ submittedFrom: '2026-02-30' })).toEqual(['submittedFrom']);
    expect(issues({ stage: ['closed', 'delivery'] })).toEqual(['stage']);
    expect(issues({ submittedFrom: '2026-05-01', submittedTo: '2026-04-01' })).toEqual(['submittedTo']);
    expect(listRequestsQuerySchema.parse({ limit: '5', overdue: 'false' })).toEqual({
      limit: 5,
      overdue: false,
      sort: 'newest',
    });
  });

  it('firstDifference finds where a payload departs from its canonical form', () => {
    expect(firstDifference({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toBeNull();
    expect(firstDifference({ a: [1, { b: 'x' }] }, { a: [1, { b: ' x' }] })).toEqual(['a', 1, 'b']);
    expect(firstDifference({ a: 1 }, { a: 1, c: undefined })).toBeNull();
  });

  it('the OpenAPI document derives from the same schemas (no arrays in arrays, strict objects)', () => {
    const json = z.toJSONSchema(submitRequestSchema, { target: 'openapi-3.0', io: 'input' }) as Record<string, any>;
    expect(json.additionalProperties).toBe(false);
    expect(json.properties.title).toMatchObject({ minLength: 5, maxLength: 200, pattern: expect.any(String) });
  });
});
