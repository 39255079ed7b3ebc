/**
 * "Why?" beside a dismissal just made (the review queue's decision line, the issue panel's
 * Undo banner): three toggle buttons, one per `DismissReason`, the one chosen pressed; pressing
 * it again takes the reason back (`onChoose(null)`). Giving a reason is optional and takes one
 * more click; a dismissal never waits for it.
 */
import type { DismissReason } from '../../../src/shared/contract';
import { DISMISS_REASON_TEXT, DISMISS_REASONS } from '../format';
import { Button } from './button';

/** The buttons' words; the full reason (DISMISS_REASON_TEXT) is their tooltip. */
/** A reason being saved: one of them, `none` for one taken back, or null when none is being saved. */
export type SavingReason = DismissReason | 'none' | null;

/** What a choice is saved as (null, the reason taken back, is `none` while saved). */
export const savingOf = (reason: DismissReason | null): DismissReason | 'none' => reason ?? 'none';

const SHORT: Record<DismissReason, string> = { different: 'Not the same problem', related: 'Related, separate work', split: 'Split on purpose' };

export function DismissReasons({
  pairs,
  chosen,
  saving,
  onChoose,
  keys = false,
}: {
  /** How many pairs the dismissal was for (the group's name says "it" or "they"). */
  pairs: number;
  chosen: DismissReason | null;
  /** The reason being saved, if any (shown as chosen, `none` as none; the caller ignores clicks meanwhile). */
  saving: SavingReason;
  /** The reason pressed, or null when the pressed one is pressed again (no reason now). */
  onChoose: (reason: DismissReason | null) => void;
  /** The review queue's keys: 1, 2, 3 choose them (use-queue-keys.ts). */
  keys?: boolean;
}) {
  return (
    <span className="dd-row dd-dismiss-reasons" role="group" aria-label={pairs === 1 ? 'Why it is not a duplicate' : 'Why they are not duplicates'} data-testid="dismiss-reasons">
      <span className="dd-subtle" aria-hidden="true">
        Why?
      </span>
      {DISMISS_REASONS.map((r, i) => {
        const pressed = saving === 'none' ? false : (saving ?? chosen) === r;
        const title = `${DISMISS_REASON_TEXT[r]}${pressed ? ' (chosen: press again to take it back)' : ''}`;
        return (
          <Button
            key={r}
            small
            appearance="subtle"
            // Not disabled while one is saved (a disabled button loses the keyboard focus): the
            // one chosen shows at once, and the caller ignores another click until it is saved.
            aria-pressed={pressed}
            aria-busy={saving === r || undefined}
            title={keys ? `${title} (key ${i + 1})` : title}
            aria-keyshortcuts={keys ? String(i + 1) : undefined}
            onClick={() => onChoose(pressed ? null : r)}
            data-testid={`dismiss-reason-${r}`}
          >
            {SHORT[r]}
          </Button>
        );
      })}
    </span>
  );
}
