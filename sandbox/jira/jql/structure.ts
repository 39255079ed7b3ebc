/**
 * The `structure` object of `POST /rest/api/3/jql/parse`: the parsed query in
 * Jira's ParsedJqlQuery shape (compound clauses, field clauses, operands,
 * order by).
 */
import { lookupField } from './fields';
import type { Clause, JqlQuery, Operand } from './parser';

function operandShape(o: Operand): unknown {
  switch (o.kind) {
    case 'value': return { value: o.value, encodedValue: /[\s"',()]/.test(o.value) ? JSON.stringify(o.value) : o.value };
    case 'list': return { values: o.values.map(operandShape) };
    case 'function': return { function: o.name, arguments: o.args };
    case 'empty': return { keyword: 'empty' };
  }
}

function clauseShape(c: Clause): unknown {
  switch (c.kind) {
    case 'and':
    case 'or':
      return { operator: c.kind, clauses: c.clauses.map(clauseShape) };
    case 'not':
      return { operator: 'not', clauses: [clauseShape(c.clause)] };
    case 'terminal':
      return {
        field: { name: lookupField(c.field)?.name ?? c.field },
        operator: c.operator,
        operand: operandShape(c.operand),
      };
  }
}

export function queryStructure(q: JqlQuery): unknown {
  return {
    ...(q.where ? { where: clauseShape(q.where) } : {}),
    ...(q.orderBy.length > 0
      ? { orderBy: { fields: q.orderBy.map((s) => ({ field: { name: lookupField(s.field)?.name ?? s.field }, ...(s.direction ? { direction: s.direction } : {}) })) } }
      : {}),
  };
}
