import { jiraIssueSchema } from '../../src/jira/issues';
import { duplicateLinkedIds } from '../../src/jira/links';
import { DUP_LINKS_CUT, encodeDupLinks } from '../../src/store/docs';

function issue(id: string, issuelinks: unknown): ReturnType<typeof jiraIssueSchema.parse> {
  return jiraIssueSchema.parse({ id, key: `P-${id}`, fields: { project: { key: 'P' }, issuelinks } });
}

describe('Duplicate links read with an issue', () => {
  it('keeps the other end of Duplicate links in either direction, however the type was renamed, sorted and once', () => {
    const links = [
      { id: '1', type: { name: 'Duplicate', inward: 'is duplicated by', outward: 'duplicates' }, outwardIssue: { id: '30', key: 'P-30' } },
      { id: '2', type: { name: 'Duplicate' }, inwardIssue: { id: '20', key: 'P-20' } },
      { id: '3', type: { name: 'Same as', outward: 'duplicates' }, inwardIssue: { id: 25 } },
      { id: '4', type: { name: 'Blocks', outward: 'blocks' }, outwardIssue: { id: '40' } },
      { id: '5', type: { name: 'duplicate ' }, outwardIssue: { id: '20' } },
    ];
    expect(duplicateLinkedIds(issue('10', links))).toEqual(['20', '25', '30']);
  });

  it('skips entries that are not links as Jira writes them, one by one, and never the issue itself', () => {
    const links = [null, 'x', { type: {} }, { type: { name: 'Duplicate' } }, { type: { name: 'Duplicate' }, outwardIssue: { id: 'not an id' } }, { type: { name: 'Duplicate' }, outwardIssue: { id: '10' } }, { type: { name: 'Duplicate' }, outwardIssue: { id: '11' } }];
    expect(duplicateLinkedIds(issue('10', links))).toEqual(['11']);
    expect(duplicateLinkedIds(issue('10', undefined))).toEqual([]);
    expect(duplicateLinkedIds(issue('10', null))).toEqual([]);
  });

  it('are stored as whole ids within the column, and a list that does not fit says so', () => {
    expect(encodeDupLinks([])).toBe('');
    expect(encodeDupLinks(['1', '22'])).toBe('1,22');
    const many = Array.from({ length: 80 }, (_, i) => String(100000000 + i));
    const stored = encodeDupLinks(many);
    expect(stored.length).toBeLessThanOrEqual(600);
    const parts = stored.split(',');
    expect(parts[parts.length - 1]).toBe(DUP_LINKS_CUT);
    expect(parts.slice(0, -1)).toEqual(many.slice(0, parts.length - 1));
  });
});
