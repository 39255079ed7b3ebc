/**
 * A tokenizer and recursive-descent parser for the JQL subset the app uses.
 *
 * Syntax only: whether a field, value or function exists is decided by
 * `compile.ts`, as Jira separates "Error in the JQL Query" (syntax) from
 * "Field 'x' does not exist" (validation).
 */
import { JqlError } from './jql-error';

export type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~' | 'in' | 'not in' | 'is' | 'is not';

export type Operand =
  | { kind: 'value'; value: string }
  | { kind: 'list'; values: Operand[] }
  | { kind: 'function'; name: string; args: string[] }
  | { kind: 'empty' };

export type Clause =
  | { kind: 'and'; clauses: Clause[] }
  | { kind: 'or'; clauses: Clause[] }
  | { kind: 'not'; clause: Clause }
  | { kind: 'terminal'; field: string; operator: Operator; operand: Operand };

export interface SortField {
  field: string;
  direction: 'asc' | 'desc' | null;
}

export interface JqlQuery {
  where: Clause | null;
  orderBy: SortField[];
}

type TokenKind = 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma' | 'eof';

interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based character position, as Jira reports it. */
  at: number;
}

const OPERATOR_CHARS = new Set(['=', '!', '<', '>', '~']);
const WORD_STOP = new Set([' ', '\t', '\n', '\r', '"', "'", '(', ')', ',', '=', '!', '<', '>', '~', '&', '|']);
const RESERVED = new Set(['and', 'or', 'not', 'in', 'is', 'empty', 'null', 'order', 'by', 'asc', 'desc']);
const VALID_OPERATORS =
  "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";

function syntaxError(message: string, token?: Token): JqlError {
  const where = token && token.kind !== 'eof' ? ` (line 1, character ${token.at})` : '';
  return new JqlError([`Error in the JQL Query: ${message}${where}`]);
}

export function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < jql.length) {
    const c = jql[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i + 1;
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', text: c, at });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < jql.length && jql[j] !== c) {
        if (jql[j] === '\\' && j + 1 < jql.length) j++;
        text += jql[j] ?? '';
        j++;
      }
      if (j >= jql.length) throw syntaxError(`The quoted string '${text}' has not been completed.`, { kind: 'string', text, at });
      tokens.push({ kind: 'string', text, at });
      i = j + 1;
      continue;
    }
    if (c === '&' || c === '|') {
      const two = jql.slice(i, i + 2);
      if (two === '&&' || two === '||') {
        tokens.push({ kind: 'word', text: two === '&&' ? 'and' : 'or', at });
        i += 2;
        continue;
      }
      throw syntaxError(`The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}' instead.`, { kind: 'op', text: c, at });
    }
    if (OPERATOR_CHARS.has(c)) {
      const two = jql.slice(i, i + 2);
      if (two === '!=' || two === '>=' || two === '<=' || two === '!~') {
        tokens.push({ kind: 'op', text: two, at });
        i += 2;
      } else if (c === '!') {
        tokens.push({ kind: 'word', text: 'not', at });
        i++;
      } else {
        tokens.push({ kind: 'op', text: c, at });
        i++;
      }
      continue;
    }
    let j = i;
    while (j < jql.length && !WORD_STOP.has(jql[j] ?? ' ')) j++;
    tokens.push({ kind: 'word', text: jql.slice(i, j), at });
    i = j;
  }
  tokens.push({ kind: 'eof', text: '', at: jql.length + 1 });
  return tokens;
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos] ?? { kind: 'eof', text: '', at: 0 };
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const t = this.tokens[this.pos + offset];
    return t !== undefined && t.kind === 'word' && t.text.toLowerCase() === word;
  }

  parseQuery(): JqlQuery {
    let where: Clause | null = null;
    if (this.peek().kind !== 'eof' && !this.isKeyword('order')) where = this.parseOr();
    const orderBy = this.isKeyword('order') ? this.parseOrderBy() : [];
    const rest = this.peek();
    if (rest.kind !== 'eof') {
      throw syntaxError(`Expecting either 'OR' or 'AND' but got '${rest.text}'.`, rest);
    }
    return { where, orderBy };
  }

  private parseOrderBy(): SortField[] {
    this.next();
    if (!this.isKeyword('by')) throw syntaxError(`Expecting 'by' but got '${this.peek().text}'.`, this.peek());
    this.next();
    const fields: SortField[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind !== 'word' && t.kind !== 'string') throw syntaxError('Expecting a field name at the end of the query.', t);
      let direction: SortField['direction'] = null;
      if (this.isKeyword('asc') || this.isKeyword('desc')) direction = this.next().text.toLowerCase() as 'asc' | 'desc';
      fields.push({ field: t.text, direction });
      if (this.peek().kind !== 'comma') break;
      this.next();
    }
    return fields;
  }

  private parseOr(): Clause {
    const clauses = [this.parseAnd()];
    while (this.isKeyword('or')) {
      this.next();
      clauses.push(this.parseAnd());
    }
    return clauses.length === 1 ? (clauses[0] as Clause) : { kind: 'or', clauses };
  }

  private parseAnd(): Clause {
    const clauses = [this.parseNot()];
    while (this.isKeyword('and')) {
      this.next();
      clauses.push(this.parseNot());
    }
    return clauses.length === 1 ? (clauses[0] as Clause) : { kind: 'and', clauses };
  }

  private parseNot(): Clause {
    if (this.isKeyword('not')) {
      this.next();
      return { kind: 'not', clause: this.parseNot() };
    }
    if (this.peek().kind === 'lparen') {
      this.next();
      const inner = this.parseOr();
      const close = this.next();
      if (close.kind !== 'rparen') {
        if (close.kind === 'eof') throw syntaxError("Expecting ')' before the end of the query.");
        throw syntaxError(`Expecting ')' but got '${close.text}'.`, close);
      }
      return inner;
    }
    return this.parseTerminal();
  }

  private parseTerminal(): Clause {
    const fieldToken = this.next();
    if (fieldToken.kind === 'eof') throw syntaxError('Expecting a field name at the end of the query.');
    if (fieldToken.kind !== 'word' && fieldToken.kind !== 'string') {
      throw syntaxError(`Expecting a field name but got '${fieldToken.text}'.`, fieldToken);
    }
    if (fieldToken.kind === 'word' && RESERVED.has(fieldToken.text.toLowerCase())) {
      throw syntaxError(`Expecting a field name but got the reserved word '${fieldToken.text}'.`, fieldToken);
    }
    const operator = this.parseOperator();
    const operand = this.parseOperand(operator);
    return { kind: 'terminal', field: fieldToken.text, operator, operand };
  }

  private parseOperator(): Operator {
    const t = this.next();
    if (t.kind === 'op') return t.text as Operator;
    if (t.kind === 'word') {
      const w = t.text.toLowerCase();
      if (w === 'in') return 'in';
      if (w === 'not' && this.isKeyword('in')) {
        this.next();
        return 'not in';
      }
      if (w === 'is') {
        if (this.isKeyword('not')) {
          this.next();
          return 'is not';
        }
        return 'is';
      }
    }
    if (t.kind === 'eof') throw syntaxError(`Expecting operator before the end of the query. ${VALID_OPERATORS}`);
    throw syntaxError(`Expecting operator but got '${t.text}'. ${VALID_OPERATORS}`, t);
  }

  private parseOperand(operator: Operator): Operand {
    if (operator === 'is' || operator === 'is not') {
      const t = this.next();
      if (t.kind === 'word' && (t.text.toLowerCase() === 'empty' || t.text.toLowerCase() === 'null')) return { kind: 'empty' };
      throw syntaxError(`Expecting 'EMPTY' or 'NULL' but got '${t.text}'.`, t);
    }
    if (this.peek().kind === 'lparen') {
      this.next();
      const values: Operand[] = [];
      for (;;) {
        values.push(this.parseSingleOperand());
        const t = this.next();
        if (t.kind === 'rparen') break;
        if (t.kind === 'comma') continue;
        if (t.kind === 'eof') throw syntaxError("Expecting ')' before the end of the query.");
        throw syntaxError(`Expecting ',' or ')' but got '${t.text}'.`, t);
      }
      return { kind: 'list', values };
    }
    return this.parseSingleOperand();
  }

  private parseSingleOperand(): Operand {
    const t = this.next();
    if (t.kind === 'string') return { kind: 'value', value: t.text };
    if (t.kind === 'word') {
      const lower = t.text.toLowerCase();
      if (lower === 'empty' || lower === 'null') return { kind: 'empty' };
      if (RESERVED.has(lower)) {
        throw syntaxError(`Expecting either a value, list or function but got '${t.text}'. You must surround '${t.text}' in quotation marks to use it as a value.`, t);
      }
      if (this.peek().kind === 'lparen') return this.parseFunctionArgs(t.text);
      return { kind: 'value', value: t.text };
    }
    if (t.kind === 'eof') throw syntaxError('Expecting either a value, list or function before the end of the query.');
    throw syntaxError(`Expecting either a value, list or function but got '${t.text}'. You must surround '${t.text}' in quotation marks to use it as a value.`, t);
  }

  private parseFunctionArgs(name: string): Operand {
    this.next();
    const args: string[] = [];
    if (this.peek().kind === 'rparen') {
      this.next();
      return { kind: 'function', name, args };
    }
    for (;;) {
      const a = this.next();
      if (a.kind !== 'word' && a.kind !== 'string') throw syntaxError(`Expecting a function argument but got '${a.text}'.`, a);
      args.push(a.text);
      const t = this.next();
      if (t.kind === 'rparen') break;
      if (t.kind !== 'comma') throw syntaxError(`Expecting ',' or ')' but got '${t.text}'.`, t);
    }
    return { kind: 'function', name, args };
  }
}

/** Parses JQL text; throws JqlError with Jira-worded messages on bad syntax. */
export function parseJql(jql: string): JqlQuery {
  return new Parser(tokenize(jql)).parseQuery();
}
