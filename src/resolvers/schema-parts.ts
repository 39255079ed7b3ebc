import { z } from 'zod';
import { ISSUE_KEY_PATTERN } from '../shared/issue-key';

/**
 * Building blocks for payload schemas. Messages read as the rest of a sentence whose
 * subject is the field path: "settings.thresholds.related must be at most 1".
 */

const typeError = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${expected}`;

export const str = (max: number, min = 0) =>
  z
    .string({ error: typeError('text') })
    .min(min, min <= 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`);

export const num = (min: number, max: number) =>
  z
    .number({ error: typeError('a number') })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

export const int = (min: number, max: number) => num(min, max).int('must be a whole number');

export const bool = () => z.boolean({ error: typeError('true or false') });

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (issue) => (issue.input === undefined ? 'is required' : `must be one of: ${values.join(', ')}`) });

export const list = <T extends z.ZodType>(item: T, max: number, min = 0) =>
  z
    .array(item, { error: typeError('a list') })
    .min(min, min === 1 ? 'must not be empty' : `must have at least ${min} items`)
    .max(max, `must have at most ${max} items`);

/** Jira project keys: a letter, then letters, digits or underscores (Jira's own rule, any case here). */
export const projectKey = () =>
  z
    .string({ error: typeError('a project key') })
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, 'must be a Jira project key such as ABC');

/** A Jira issue key such as ABC-12 (any case here; the history compares it upper-cased). */
export const issueKey = () =>
  z
    .string({ error: typeError('an issue key') })
    .regex(ISSUE_KEY_PATTERN, 'must be a Jira issue key such as ABC-12');

/** Ids the app hands out or Jira uses (issue ids, pair ids, run ids): short and plain. */
export const id = (what: string) =>
  z
    .string({ error: typeError(`a ${what}`) })
    .min(1, 'must not be empty')
    .max(128, 'is too long')
    .regex(/^[A-Za-z0-9:._-]+$/, `must be a ${what}`);

/** An object that rejects unknown keys, so a misspelt filter is reported rather than ignored. */
export const strict = <S extends z.ZodRawShape>(shape: S) =>
  z.strictObject(shape, { error: (issue) => (issue.input === undefined ? 'is required' : 'must be an object') });

/** An object from ids (`key`) to values, at most `max` of them: one value per item of a list sent beside it. */
export const byId = <K extends z.ZodString, V extends z.ZodType>(key: K, value: V, max: number) =>
  z
    .record(key, value, { error: typeError('an object') })
    .refine((o) => Object.keys(o).length <= max, `must have at most ${max} entries`);
