/**
 * ORDER BY: a comparator from the sort fields, with Jira's default (newest
 * key first) when there are none and an id tie-break so pages never overlap.
 */
import type { StoredIssue } from '../types';
import { lookupField } from './fields';
import type { JqlQuery } from './parser';

export function compareKeys(a: string, b: string): number {
  const ia = a.lastIndexOf('-');
  const ib = b.lastIndexOf('-');
  const pa = a.slice(0, ia);
  const pb = b.slice(0, ib);
  if (pa !== pb) return pa < pb ? -1 : 1;
  return Number(a.slice(ia + 1)) - Number(b.slice(ib + 1));
}

function sortValue(field: string, i: StoredIssue): string | number {
  switch (field) {
    case 'created': return Date.parse(i.created);
    case 'updated': return Date.parse(i.updated);
    case 'resolved': return i.resolved === null ? Number.MAX_SAFE_INTEGER : Date.parse(i.resolved);
    case 'id': return Number(i.id);
    case 'summary': return i.summary.toLowerCase();
    case 'status': return i.status.toLowerCase();
    case 'priority': return i.priority ?? '';
    default: return 0;
  }
}

export function buildComparator(query: JqlQuery, errors: string[]): (a: StoredIssue, b: StoredIssue) => number {
  // Without ORDER BY the stand-in answers newest key first, as Jira's navigator does.
  const order = query.orderBy.length > 0 ? query.orderBy : [{ field: 'key', direction: 'desc' as const }];
  const steps: Array<(a: StoredIssue, b: StoredIssue) => number> = [];
  for (const s of order) {
    const f = lookupField(s.field);
    if (!f) {
      errors.push(`Field '${s.field}' does not exist or you do not have permission to view it.`);
      continue;
    }
    if (!f.sortable) {
      errors.push(`Not able to sort using field '${s.field}'.`);
      continue;
    }
    const dir = s.direction === 'desc' ? -1 : 1;
    if (f.name === 'key' || f.name === 'project') {
      steps.push((a, b) => dir * compareKeys(a.key, b.key));
    } else {
      steps.push((a, b) => {
        const va = sortValue(f.name, a);
        const vb = sortValue(f.name, b);
        return va === vb ? 0 : dir * (va < vb ? -1 : 1);
      });
    }
  }
  // Ties break on id so pages never overlap or skip.
  steps.push((a, b) => Number(a.id) - Number(b.id));
  return (a, b) => {
    for (const step of steps) {
      const c = step(a, b);
      if (c !== 0) return c;
    }
    return 0;
  };
}
