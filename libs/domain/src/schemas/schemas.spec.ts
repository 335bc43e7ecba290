import * as fc from 'fast-check';
import { z } from 'zod';
import { ACTIVITY_PAYLOAD_SCHEMAS, DECISION_PAYLOAD_SCHEMAS } from './payloads';
import { submitRequestSchema } from './submission-payload';
import { notificationPreferencesSchema } from './notifications';
import { fieldErrors, firstDifference } from './issues';
import {
  ACTIVITY_KEY_PATTERN,
  codePoints,
  email,
  isCalendarDate,
  isoDate,
  iso3,
  normaliseText,
  text,
} from './primitives';
import { listRequestsQuerySchema } from './queries';

// eslint-disable-next-line no-control-regex -- the point: find the control characters
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;
// What shows nothing: a required text needs something else.
const VISIBLE = /[^\s\u00AD\u180E\u200B-\u200F\u2060-\u2064\uFEFF]/;
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
      '\u200B',
      '\u202E',
      '\u2067',
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
        expect(out).toMatch(VISIBLE);
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
          !CONTROL.test(normal) && !LONE_SURROGATE.test(normal) && VISIBLE.test(normal) && codePoints(normal) <= 50;
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
    ['\u200B'.repeat(10), 'must not be blank'],
    ['\u200B \uFEFF\u2060\u200D ', 'must not be blank'],
    [
      'invoice\u202Egnp.exe',
      'must not contain bidirectional embedding, override or isolate characters (U+202A-U+202E, U+2066-U+2069)',
    ],
    [
      'title \u2067\u0627\u0644\u0639\u0631\u0628\u064A\u0629\u2069',
      'must not contain bidirectional embedding, override or isolate characters (U+202A-U+202E, U+2066-U+2069)',
    ],
  ])('refuses %j as a title', (title, reason) => {
    const r = submitRequestSchema.safeParse({ title, urgency: 'routine', needs: [] });
    expect(fieldErrors(r.error!).find((e) => e.field === 'title')).toMatchObject({ field: 'title', reason });
  });

  it('keeps the marks and joiners that Arabic, Persian and emoji need', () => {
    const persian = '\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645 \u200FKEN\u200F';
    expect(text(100).parse(persian)).toBe(persian);
    expect(text(100).parse('family \u{1F468}\u200D\u{1F469}\u200D\u{1F467}')).toContain('\u200D');
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
      expect(fieldErrors(r.error!)).toEqual([{ field: key, reason: 'is not a known field', rule: 'unknown_field' }]);
    }
  });

  it('says "required" once for a missing field', () => {
    const r = DECISION_PAYLOAD_SCHEMAS.decline.safeParse({});
    expect(fieldErrors(r.error!)).toEqual([{ field: 'reason', reason: 'required', rule: 'required' }]);
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

describe('the kinds a first review still found (each one of its kind)', () => {
  const errors = (r: { error?: z.core.$ZodError }) => (r.error ? fieldErrors(r.error) : []);
  const need = (description = 'Review the draft bill', thematicArea = 'legislative_incorporation') => ({
    thematicArea,
    description,
    modalities: [],
  });

  it('an own __proto__ key of a map is refused, naming it, not silently dropped', () => {
    const body = JSON.parse(
      '{"deliveredOn":"2026-11-02","participantsByState":{"__proto__":{"KEN":1}},' +
        '"officialsTrainedByProfession":{"__proto__":{"judge":1}},"outputs":[]}',
    );
    expect(errors(ACTIVITY_PAYLOAD_SCHEMAS.report_delivered.safeParse(body)).map((e) => e.field)).toEqual([
      'participantsByState.__proto__',
      'officialsTrainedByProfession.__proto__',
    ]);
    const fine = { ...body, participantsByState: { KEN: 3 }, officialsTrainedByProfession: { judge: 1 } };
    expect(ACTIVITY_PAYLOAD_SCHEMAS.report_delivered.parse(fine).participantsByState).toEqual({ KEN: 3 });
  });

  it('a ratification names one of the 19 universal instruments', () => {
    const indicators = (instrument: string) =>
      DECISION_PAYLOAD_SCHEMAS.record_indicators.safeParse({
        ratifications: [{ instrument, depositedOn: '2026-06-01' }],
      });
    expect(indicators('1999-FINANCING').success).toBe(true);
    expect(errors(indicators('HARRY-POTTER')).map((e) => e.field)).toEqual(['ratifications[0].instrument']);
  });

  it('the same need twice is refused, naming the repeat', () => {
    const r = submitRequestSchema.safeParse({
      title: 'Three needs',
      urgency: 'routine',
      needs: [need(), need('Train judges'), need(' review the draft BILL ')],
    });
    expect(errors(r)).toEqual([
      { field: 'needs[2]', reason: 'repeats need 0', rule: 'duplicate', params: { first: 0 } },
    ]);
    const other = need('Review the draft bill', 'criminal_justice_capacity');
    expect(
      submitRequestSchema.safeParse({ title: 'Two needs', urgency: 'routine', needs: [need(), other] }).success,
    ).toBe(true);
  });

  it('two preferences for one kind are refused', () => {
    const r = notificationPreferencesSchema.safeParse({
      preferences: [
        { kind: 'reminder', mode: 'daily_digest' },
        { kind: 'reminder', mode: 'immediate' },
      ],
    });
    expect(errors(r).map((e) => e.field)).toEqual(['preferences[1]']);
  });

  it('a missing choice says "required", like a missing text', () => {
    const r = submitRequestSchema.safeParse({ title: 'No urgency', needs: [{ description: 'Something to do' }] });
    expect(errors(r)).toEqual([
      { field: 'needs[0].thematicArea', reason: 'required', rule: 'required' },
      { field: 'needs[0].modalities', reason: 'required', rule: 'required' },
      { field: 'urgency', reason: 'required', rule: 'required' },
    ]);
  });

  it.each(['0x10', ' 1', '1e1', '1.0', '-1', '0', '101', ''])('limit=%j is refused', (limit) => {
    expect(listRequestsQuerySchema.safeParse({ limit }).success).toBe(false);
  });

  it('limit in decimal digits is read as a number; absent, it takes the default', () => {
    expect(listRequestsQuerySchema.parse({ limit: '16' }).limit).toBe(16);
    expect(listRequestsQuerySchema.parse({}).limit).toBe(25);
  });

  it.each(['.', '..', '-x', '_x', '.hidden'])(
    'an activity key %j, which a browser could not address, is refused',
    (key) => {
      expect(ACTIVITY_KEY_PATTERN.test(key)).toBe(false);
    },
  );

  it.each(['ws-1', '2027.regional_workshop', 'A'])('an activity key %j is accepted', (key) => {
    expect(ACTIVITY_KEY_PATTERN.test(key)).toBe(true);
  });
});
