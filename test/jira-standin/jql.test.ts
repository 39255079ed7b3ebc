import fc from 'fast-check';
import { JiraStandIn } from '../../sandbox/jira';
import { compileJql } from '../../sandbox/jira/jql/compile';
import { JiraStore } from '../../sandbox/jira/store';
import { JqlError } from '../../sandbox/jira/jql/jql-error';
import { parseJql } from '../../sandbox/jira/jql/parser';
import { arr, call, obj, SMALL_SEED } from './helpers';

describe('JQL parser', () => {
  it('parses precedence: AND binds tighter than OR, parentheses and NOT', () => {
    const q = parseJql('project = A OR project = B AND NOT (status = Done) ORDER BY created DESC, key');
    expect(q.where).toEqual({
      kind: 'or',
      clauses: [
        { kind: 'terminal', field: 'project', operator: '=', operand: { kind: 'value', value: 'A' } },
        {
          kind: 'and',
          clauses: [
            { kind: 'terminal', field: 'project', operator: '=', operand: { kind: 'value', value: 'B' } },
            { kind: 'not', clause: { kind: 'terminal', field: 'status', operator: '=', operand: { kind: 'value', value: 'Done' } } },
          ],
        },
      ],
    });
    expect(q.orderBy).toEqual([{ field: 'created', direction: 'desc' }, { field: 'key', direction: null }]);
  });

  it('reads lists, quoted strings, NOT IN, IS EMPTY, functions and relative dates', () => {
    const q = parseJql('key not in ("A-1", B-2) and labels is not EMPTY and created >= -30d and updated > startOfDay()');
    expect(q.where).toMatchObject({
      kind: 'and',
      clauses: [
        { operator: 'not in', operand: { kind: 'list', values: [{ value: 'A-1' }, { value: 'B-2' }] } },
        { operator: 'is not', operand: { kind: 'empty' } },
        { operator: '>=', operand: { kind: 'value', value: '-30d' } },
        { operator: '>', operand: { kind: 'function', name: 'startOfDay', args: [] } },
      ],
    });
  });

  it('never crashes: any text parses and compiles, or fails with a JqlError', () => {
    const store = new JiraStore();
    store.addProject({ id: '10000', key: 'SHOP', name: 'Web Shop' });
    const ctx = { store, canBrowseProject: () => true, canBrowseIssue: () => true, currentAccountId: null, now: Date.UTC(2024, 0, 1) };
    const words = fc.constantFrom('project', 'SHOP', '=', '!=', 'in', 'not', '(', ')', ',', 'AND', 'OR', 'ORDER BY', 'created', '>=', '-30d', '"2024-01-01"', 'key', 'SHOP-1', 'is', 'EMPTY', 'now()', '~', 'summary', '"x', 'labels', 'desc');
    const jqlish = fc.array(words, { maxLength: 12 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.oneof(jqlish, fc.string({ maxLength: 60 })), (jql) => {
        try {
          compileJql(parseJql(jql), ctx);
        } catch (e) {
          if (!(e instanceof JqlError)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['project = ', /Expecting either a value, list or function/],
    ['project SHOP', /Expecting operator but got 'SHOP'/],
    ['(project = SHOP', /Expecting '\)'/],
    ['summary ~ "open', /quoted string/],
    ['project = SHOP foo', /Expecting either 'OR' or 'AND' but got 'foo'/],
  ])('reports a syntax error for %s', (jql, message) => {
    expect(() => parseJql(jql)).toThrow(JqlError);
    expect(() => parseJql(jql)).toThrow(message);
  });
});

describe('POST /rest/api/3/jql/parse', () => {
  let jira: JiraStandIn;
  beforeAll(async () => {
    jira = await JiraStandIn.start({ seed: SMALL_SEED });
  });
  afterAll(() => jira.close());

  it('returns structure for valid queries and errors for invalid ones', async () => {
    const r = await call(jira.url, 'POST', '/rest/api/3/jql/parse?validation=strict', 'user:restricted-1', {
      queries: ['project = SHOP AND issuetype in (Bug, Story) ORDER BY created DESC', 'project = OPS', 'priority = High AND nosuch = 1', 'project ='],
    });
    expect(r.status).toBe(200);
    const [ok, hidden, unknown, syntax] = arr(r.json.queries).map(obj);
    expect(ok).toEqual({
      query: 'project = SHOP AND issuetype in (Bug, Story) ORDER BY created DESC',
      structure: {
        where: {
          operator: 'and',
          clauses: [
            { field: { name: 'project' }, operator: '=', operand: { value: 'SHOP', encodedValue: 'SHOP' } },
            { field: { name: 'issuetype' }, operator: 'in', operand: { values: [{ value: 'Bug', encodedValue: 'Bug' }, { value: 'Story', encodedValue: 'Story' }] } },
          ],
        },
        orderBy: { fields: [{ field: { name: 'created' }, direction: 'desc' }] },
      },
    });
    expect(hidden?.errors).toEqual(["The value 'OPS' does not exist for the field 'project'."]);
    expect(unknown?.errors).toEqual(["Field 'nosuch' does not exist or you do not have permission to view it."]);
    expect(arr(syntax?.errors)[0]).toMatch(/^Error in the JQL Query/);
  });

  it('with validation=none only checks syntax', async () => {
    const r = await call(jira.url, 'POST', '/rest/api/3/jql/parse?validation=none', 'app', { queries: ['nosuch = 1'] });
    expect(arr(r.json.queries)[0]).toHaveProperty('structure');
  });
});
