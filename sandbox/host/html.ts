/**
 * A tiny HTML template tag that escapes every interpolated value unless it is
 * already markup. Issue text comes from users: it must only ever reach the page as
 * text, so the safe path is the default one.
 */

const MARKUP = Symbol('markup');

export interface Markup {
  readonly [MARKUP]: true;
  readonly value: string;
}

type Value = string | number | boolean | null | undefined | Markup | Value[];

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function isMarkup(value: unknown): value is Markup {
  return typeof value === 'object' && value !== null && MARKUP in value;
}

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (isMarkup(value)) return value.value;
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return { [MARKUP]: true, value: out };
}

/** Trusted markup written by the sandbox itself (never user or issue text). */
export function raw(value: string): Markup {
  return { [MARKUP]: true, value };
}

/** JSON for a `<script type="application/json">` block: `<` can never close the tag. */
export function jsonForScript(data: unknown): Markup {
  return raw(JSON.stringify(data).replace(/</g, '\\u003c'));
}
