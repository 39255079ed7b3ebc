import type { ReviewStatus, StatusCategory, Tier } from '../../../src/shared/contract';
import { displayText, percent } from '../format';

/** Similarity as a percentage, coloured by strength so a column scans quickly. */
/**
 * A similarity as a percentage. Its colour follows the pair's tier, which the admin's
 * thresholds (and the version/branch rule) decide: a possible duplicate stands out, a related
 * pair does not, whatever the number. Without a tier, high scores stand out by the number.
 */
export function ScoreBadge({ score, tier, testId, label = 'Similarity' }: { score: number; tier?: Tier; testId?: string; label?: string }) {
  const level = tier !== undefined ? (tier === 'duplicate' ? 'dd-score--high' : '') : score >= 0.85 ? 'dd-score--high' : score >= 0.6 ? 'dd-score--mid' : '';
  const pct = percent(score);
  return (
    <span className={`dd-score ${level}`} aria-label={`${label} ${pct}`} title={`${label} ${pct}`} data-testid={testId ?? 'score'}>
      {pct}
    </span>
  );
}

const TIER_LABEL: Record<Tier, string> = { duplicate: 'Possible duplicate', related: 'Related' };

export function TierLozenge({ tier }: { tier: Tier }) {
  return (
    <span className={`dd-lozenge ${tier === 'duplicate' ? 'dd-lozenge--danger' : 'dd-lozenge--discovery'}`} data-testid="tier">
      {TIER_LABEL[tier]}
    </span>
  );
}

const REVIEW_CLASS: Record<ReviewStatus, string> = {
  pending: 'dd-lozenge--info',
  confirmed: 'dd-lozenge--success',
  dismissed: '',
};

export function ReviewStatusLozenge({ status }: { status: ReviewStatus }) {
  return <span className={`dd-lozenge ${REVIEW_CLASS[status]}`}>{status}</span>;
}

const CATEGORY_CLASS: Record<StatusCategory, string> = {
  new: '',
  indeterminate: 'dd-lozenge--info',
  done: 'dd-lozenge--success',
  unknown: '',
};

/** A Jira issue status, coloured by its category as Jira does. */
export function StatusLozenge({ status, category }: { status: string; category: StatusCategory }) {
  const text = displayText(status, 24) || 'Unknown';
  return (
    <span className={`dd-lozenge ${CATEGORY_CLASS[category]}`} title={text} data-testid="issue-status">
      {text}
    </span>
  );
}
