import { applyDecorators } from '@nestjs/common';
import { IsString, Length, Matches, ValidateBy, ValidationOptions, buildMessage } from 'class-validator';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDateOnly(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const m = DATE_ONLY.exec(value);
  if (!m) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** A calendar date `YYYY-MM-DD` that exists (no 2027-02-30). */
export function IsDateOnly(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'isDateOnly',
      validator: {
        validate: isDateOnly,
        defaultMessage: buildMessage((each) => `${each}$property must be a date YYYY-MM-DD`, options),
      },
    },
    options,
  );
}

/** Text with at least one non-blank character, at most `max` characters. */
export function IsText(max: number, min = 1) {
  return applyDecorators(IsString(), Length(min, max), Matches(/\S/, { message: '$property must not be blank' }));
}

/** Same as IsText, for each element of an array. */
export function IsTextEach(max: number, min = 1) {
  return applyDecorators(
    IsString({ each: true }),
    Length(min, max, { each: true }),
    Matches(/\S/, { each: true, message: 'each value in $property must not be blank' }),
  );
}

/**
 * An object mapping keys (matching `key`, or listed) to non-negative integers, with at most
 * `maxKeys` entries, e.g. `{ "KEN": 25, "UGA": 3 }`.
 */
export function IsCountMap(key: RegExp | readonly string[], maxKeys = 200, options?: ValidationOptions) {
  const keyOk = (k: string) => (key instanceof RegExp ? key.test(k) : key.includes(k));
  return ValidateBy(
    {
      name: 'isCountMap',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= maxKeys &&
          Object.entries(value).every(
            ([k, v]) => keyOk(k) && typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1_000_000,
          ),
        defaultMessage: buildMessage(
          () =>
            `$property must map ${key instanceof RegExp ? `keys matching ${key.source}` : `one of ${key.join(', ')}`} to non-negative integers (at most ${maxKeys} entries)`,
          options,
        ),
      },
    },
    options,
  );
}
