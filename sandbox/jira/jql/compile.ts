/**
 * Validates a parsed JQL query against the store (fields, values, functions,
 * what the caller may browse) and turns it into a predicate, a candidate set
 * and a sort order. Validation messages are collected, then thrown together,
 * the way Jira lists every problem in `errorMessages`.
 */
import { adfToPlainText } from '../adf';
import type { JiraStore } from '../store';
import type { StatusCategoryKey, StoredIssue } from '../types';
import { lookupField, type FieldDef } from './fields';
import { JqlError } from './jql-error';
import { buildComparator, compareKeys } from './order';
import type { Clause, JqlQuery, Operand, Operator } from './parser';
import { dateOperand, textMatches, textTerms, textWords } from './values';

export interface JqlContext {
  store: JiraStore;
  canBrowseProject(projectId: string): boolean;
  /** The issue itself (project and security level): a key naming a hidden issue is "does not exist". */
  canBrowseIssue(issue: StoredIssue): boolean;
  currentAccountId: string | null;
  now: number;
}

export type Predicate = (issue: StoredIssue) => boolean;

export interface CompiledQuery {
  matches: Predicate;
  /** Issues worth testing: a project or key restriction narrows the scan. */
  candidates(): Iterable<StoredIssue>;
  compare(a: StoredIssue, b: StoredIssue): number;
}

const CATEGORY_BY_VALUE = new Map<string, StatusCategoryKey>([
  ['to do', 'new'], ['new', 'new'], ['2', 'new'],
  ['in progress', 'indeterminate'], ['indeterminate', 'indeterminate'], ['4', 'indeterminate'],
  ['done', 'done'], ['complete', 'done'], ['3', 'done'],
]);
const KEY_SHAPE = /^[A-Z][A-Z0-9_]*-\d+$/i;
const wordCache = new WeakMap<StoredIssue, { summary: Set<string>; description: Set<string>; all: Set<string> }>();

function wordsOf(issue: StoredIssue): { summary: Set<string>; description: Set<string>; all: Set<string> } {
  let w = wordCache.get(issue);
  if (!w) {
    const summary = textWords(issue.summary);
    const description = textWords(adfToPlainText(issue.description));
    w = { summary, description, all: new Set([...summary, ...description]) };
    wordCache.set(issue, w);
  }
  return w;
}

class Compiler {
  readonly errors: string[] = [];

  constructor(private readonly ctx: JqlContext) {}

  private flattenValues(operand: Operand): Operand[] {
    return operand.kind === 'list' ? operand.values.flatMap((v) => this.flattenValues(v)) : [operand];
  }

  /** Plain string values of an operand; functions other than the known ones are errors. */
  private strings(operand: Operand, field: FieldDef): string[] {
    const out: string[] = [];
    for (const v of this.flattenValues(operand)) {
      if (v.kind === 'value') out.push(v.value);
      else if (v.kind === 'function') {
        if (field.kind === 'reporter' && v.name.toLowerCase() === 'currentuser') {
          if (this.ctx.currentAccountId !== null) out.push(this.ctx.currentAccountId);
        } else this.errors.push(`Unable to find JQL function '${v.name}(${v.args.join(', ')})'.`);
      }
    }
    return out;
  }

  compileClause(clause: Clause): Predicate {
    switch (clause.kind) {
      case 'and': {
        const parts = clause.clauses.map((c) => this.compileClause(c));
        return (i) => parts.every((p) => p(i));
      }
      case 'or': {
        const parts = clause.clauses.map((c) => this.compileClause(c));
        return (i) => parts.some((p) => p(i));
      }
      case 'not': {
        const inner = this.compileClause(clause.clause);
        return (i) => !inner(i);
      }
      case 'terminal':
        return this.compileTerminal(clause.field, clause.operator, clause.operand);
    }
  }

  private compileTerminal(fieldName: string, operator: Operator, operand: Operand): Predicate {
    const field = lookupField(fieldName);
    if (!field) {
      this.errors.push(`Field '${fieldName}' does not exist or you do not have permission to view it.`);
      return () => false;
    }
    if (!field.operators.has(operator)) {
      this.errors.push(`The operator '${operator.toUpperCase()}' is not supported by the '${fieldName}' field.`);
      return () => false;
    }
    const listOperator = operator === 'in' || operator === 'not in';
    if (listOperator !== (operand.kind === 'list')) {
      if (listOperator) this.errors.push(`The operator '${operator.toUpperCase()}' for field '${fieldName}' requires a list of values.`);
      else if (operand.kind === 'list') this.errors.push(`The operator '${operator}' for field '${fieldName}' does not accept a list of values.`);
      if (operand.kind === 'list' || listOperator) return () => false;
    }
    const negate = operator === '!=' || operator === 'not in' || operator === 'is not' || operator === '!~';
    const positive = this.positive(field, fieldName, operator, operand);
    return negate ? (i) => !positive(i) : positive;
  }

  /** The predicate of the operator's positive form (`!=` → `=`, `not in` → `in`). */
  private positive(field: FieldDef, fieldName: string, operator: Operator, operand: Operand): Predicate {
    const { store } = this.ctx;
    if (operator === 'is' || operator === 'is not') return this.emptyTest(field);
    switch (field.kind) {
      case 'project': {
        const ids = new Set<string>();
        for (const v of this.strings(operand, field)) {
          const p = store.findProject(v);
          if (!p || !this.ctx.canBrowseProject(p.id)) this.errors.push(`The value '${v}' does not exist for the field '${fieldName}'.`);
          else ids.add(p.id);
        }
        return (i) => ids.has(i.projectId);
      }
      case 'issuetype': {
        const ids = new Set<string>();
        for (const v of this.strings(operand, field)) {
          const t = store.findIssueType(v);
          if (!t) this.errors.push(`The value '${v}' does not exist for the field '${fieldName}'.`);
          else ids.add(t.id);
        }
        return (i) => ids.has(i.typeId);
      }
      case 'statusCategory': {
        const keys = new Set<StatusCategoryKey>();
        for (const v of this.strings(operand, field)) {
          const k = CATEGORY_BY_VALUE.get(v.toLowerCase());
          if (!k) this.errors.push(`The value '${v}' does not exist for the field '${fieldName}'.`);
          else keys.add(k);
        }
        return (i) => keys.has(i.statusCategory);
      }
      case 'status': {
        const names = new Set(this.strings(operand, field).map((v) => v.toLowerCase()));
        return (i) => names.has(i.status.toLowerCase());
      }
      case 'key':
        return this.keyPredicate(field, fieldName, operator, operand);
      case 'id': {
        if (operator === '=' || operator === '!=' || operator === 'in' || operator === 'not in') {
          const ids = new Set(this.strings(operand, field));
          return (i) => ids.has(i.id);
        }
        const [v] = this.strings(operand, field);
        return this.ordered(operator, Number(v), (i) => Number(i.id));
      }
      case 'date': {
        let ms: number;
        try {
          if (operand.kind === 'list') {
            const values = this.flattenValues(operand).map((o) => dateOperand(o, fieldName, this.ctx.now));
            return (i) => {
              const t = this.dateOf(field, i);
              return t !== null && values.includes(t);
            };
          }
          ms = dateOperand(operand, fieldName, this.ctx.now);
        } catch (e) {
          if (e instanceof JqlError) this.errors.push(...e.messages);
          else throw e;
          return () => false;
        }
        const op = operator === '!=' ? '=' : operator;
        return this.ordered(op, ms, (i) => this.dateOf(field, i));
      }
      case 'multi': {
        const wanted = new Set(this.strings(operand, field).map((v) => v.toLowerCase()));
        const pick = (i: StoredIssue): string[] =>
          field.name === 'labels' ? i.labels : field.name === 'component' ? i.components : i.versions;
        return (i) => pick(i).some((v) => wanted.has(v.toLowerCase()));
      }
      case 'single': {
        const wanted = new Set(this.strings(operand, field).map((v) => v.toLowerCase()));
        return (i) => {
          const v = field.name === 'priority' ? i.priority : i.resolution;
          return v !== null && wanted.has(v.toLowerCase());
        };
      }
      case 'reporter': {
        const wanted = new Set(this.strings(operand, field));
        return (i) => i.reporterAccountId !== null && wanted.has(i.reporterAccountId);
      }
      case 'text': {
        const [query] = this.strings(operand, field);
        const terms = textTerms(query ?? '');
        if (terms.length === 0) {
          this.errors.push(`The value '${query ?? ''}' is not valid for the '${fieldName}' field: it has no searchable words.`);
          return () => false;
        }
        return (i) => {
          const w = wordsOf(i);
          const words = field.name === 'summary' ? w.summary : field.name === 'description' ? w.description : w.all;
          return textMatches(words, terms);
        };
      }
    }
  }

  private keyPredicate(field: FieldDef, fieldName: string, operator: Operator, operand: Operand): Predicate {
    const { store } = this.ctx;
    const ids = new Set<string>();
    const values = this.strings(operand, field);
    for (const v of values) {
      if (!KEY_SHAPE.test(v) && !/^\d+$/.test(v)) {
        this.errors.push(`The issue key '${v}' for field '${fieldName}' is invalid.`);
        continue;
      }
      const issue = store.getIssue(v);
      if (!issue || !this.ctx.canBrowseIssue(issue)) {
        this.errors.push(`An issue with key '${v}' does not exist for field '${fieldName}'.`);
      } else ids.add(issue.id);
    }
    if (operator === '=' || operator === '!=' || operator === 'in' || operator === 'not in') return (i) => ids.has(i.id);
    const pivot = values[0] ?? '';
    const sign = operator === '>' || operator === '>=' ? 1 : -1;
    const inclusive = operator === '>=' || operator === '<=';
    return (i) => {
      const c = compareKeys(i.key, pivot.toUpperCase());
      const samePrefix = i.key.slice(0, i.key.lastIndexOf('-')) === pivot.toUpperCase().slice(0, pivot.lastIndexOf('-'));
      return samePrefix && (c * sign > 0 || (inclusive && c === 0));
    };
  }

  private dateOf(field: FieldDef, i: StoredIssue): number | null {
    const iso = field.name === 'created' ? i.created : field.name === 'updated' ? i.updated : i.resolved;
    return iso === null ? null : Date.parse(iso);
  }

  private ordered(operator: Operator, pivot: number, get: (i: StoredIssue) => number | null): Predicate {
    return (i) => {
      const v = get(i);
      if (v === null || Number.isNaN(v)) return false;
      switch (operator) {
        case '>': return v > pivot;
        case '>=': return v >= pivot;
        case '<': return v < pivot;
        case '<=': return v <= pivot;
        default: return v === pivot;
      }
    };
  }

  private emptyTest(field: FieldDef): Predicate {
    switch (field.name) {
      case 'labels': return (i) => i.labels.length === 0;
      case 'component': return (i) => i.components.length === 0;
      case 'affectedVersion': return (i) => i.versions.length === 0;
      case 'priority': return (i) => i.priority === null;
      case 'resolution': return (i) => i.resolution === null;
      case 'resolved': return (i) => i.resolved === null;
      case 'reporter': return (i) => i.reporterAccountId === null;
      case 'description': return (i) => i.description === null;
      default: return () => false;
    }
  }
}

/** Projects a top-level AND (or lone clause) restricts the search to, if any. */
function restrictingProjects(where: Clause, ctx: JqlContext): Set<string> | null {
  const clauses = where.kind === 'and' ? where.clauses : [where];
  for (const c of clauses) {
    if (c.kind !== 'terminal' || lookupField(c.field)?.kind !== 'project') continue;
    if (c.operator !== '=' && c.operator !== 'in') continue;
    const values = c.operand.kind === 'list' ? c.operand.values : [c.operand];
    const ids = new Set<string>();
    for (const v of values) {
      if (v.kind !== 'value') return null;
      const p = ctx.store.findProject(v.value);
      if (p) ids.add(p.id);
    }
    return ids;
  }
  return null;
}

/** Throws JqlError listing every validation problem. */
export function compileJql(query: JqlQuery, ctx: JqlContext): CompiledQuery {
  const compiler = new Compiler(ctx);
  const matches = query.where ? compiler.compileClause(query.where) : () => true;
  const compare = buildComparator(query, compiler.errors);
  if (compiler.errors.length > 0) throw new JqlError(compiler.errors);
  const projects = query.where ? restrictingProjects(query.where, ctx) : null;
  const candidates = function* (): Iterable<StoredIssue> {
    if (projects) {
      for (const id of projects) yield* ctx.store.issuesIn(id);
    } else yield* ctx.store.issues.values();
  };
  return { matches, candidates, compare };
}
