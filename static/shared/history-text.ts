import type { ActionView } from '../../src/shared/contract';

/**
 * The change of status a decision's own name already says ("Dismissed a pair" is pending →
 * dismissed): left out of its detail. Any other change (confirmed → dismissed) is kept.
 */
const SAID_BY_NAME: Partial<Record<ActionView['action'], string>> = { confirm: 'pending → confirmed', dismiss: 'pending → dismissed' };

export function detailText(action: ActionView['action'], detail: string | null): string {
  if (detail === null) return '';
  const said = SAID_BY_NAME[action];
  if (said === undefined) return detail;
  return detail
    .split('; ')
    .map((part) => part.split(', ').filter((bit) => bit !== said).join(', '))
    .filter((part) => part !== '')
    .join('; ');
}
