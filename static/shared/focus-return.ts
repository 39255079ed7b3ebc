/**
 * Keyboard focus for actions that take away the control that had it: a decided row leaves
 * the review queue, a closed panel takes its buttons with it, a reloaded list moves or
 * drops the item acted on. Focus would fall to <body>, and a keyboard user would start
 * again from the top of the page.
 *
 * An action says where focus should go (`expect`); after every render that may have moved
 * or removed the focused control, `place()` puts focus on the first target that exists,
 * but only when focus was lost (on <body>, or on an element no longer in the page), or is
 * still where an earlier fallback left it for the time being and the person has not acted
 * since. It never takes focus from where someone put it.
 */

export interface FocusTarget {
  el: HTMLElement;
  /** The action's outcome is settled: nothing more to follow. */
  final?: boolean;
  /**
   * A stand-in until the list shows again (the search box while a list reloads): a later
   * `place()` may move focus on from it, as long as nothing was typed or clicked meanwhile.
   */
  park?: boolean;
}

/** How long an action's wish for the focus lasts: a slow Jira call, then a reload. */
const TTL_MS = 20_000;

function focusLost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body || !active.isConnected;
}

export class FocusReturn {
  private intent: { find: () => FocusTarget | null; at: number } | null = null;
  private parked: HTMLElement | null = null;

  /** Someone typed or clicked: a parked focus is theirs now; a click elsewhere ends the wish. */
  private readonly onKey = (): void => this.setParked(null);
  private readonly onPointer = (): void => this.clear();

  /**
   * From now on (for a while), focus lost on the page goes where `find` says. `from`: where
   * focus is as the action starts, left there by an earlier one (the row after one decided, the
   * list after a bulk action): treated as parked, so focus moves on from it too, unless
   * something is typed or clicked first.
   */
  expect(find: () => FocusTarget | null, from: HTMLElement | null = null): void {
    this.clear();
    this.intent = { find, at: Date.now() };
    document.addEventListener('pointerdown', this.onPointer, true);
    if (from !== null) this.setParked(from);
  }

  clear(): void {
    this.intent = null;
    this.setParked(null);
    document.removeEventListener('pointerdown', this.onPointer, true);
  }

  /** Call after a render that may have moved or removed the focused control. */
  place(): void {
    const intent = this.intent;
    if (intent === null) return;
    if (Date.now() - intent.at > TTL_MS) {
      this.clear();
      return;
    }
    const active = document.activeElement;
    if (!focusLost() && (this.parked === null || active !== this.parked)) return;
    const target = intent.find();
    if (target === null || target.el === active) return;
    target.el.focus();
    if (document.activeElement !== target.el) return;
    if (target.final) this.clear();
    else this.setParked(target.park ? target.el : null);
  }

  private setParked(el: HTMLElement | null): void {
    if (this.parked === null && el !== null) document.addEventListener('keydown', this.onKey, true);
    if (this.parked !== null && el === null) document.removeEventListener('keydown', this.onKey, true);
    this.parked = el;
  }
}

/** A button that can take focus now. */
export function enabledControl(scope: ParentNode, testId: string): HTMLElement | null {
  const el = scope.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  if (el === null || (el instanceof HTMLButtonElement && el.disabled)) return null;
  return el;
}
