/**
 * Duplicate links as Jira has them around the issues a confirmation is about to join, and
 * which way to link two issues so that the app gives no issue a second "duplicates" link.
 *
 * Confirming pairs one at a time used to link each pair's newer issue to its older one,
 * whatever links were already there. Three copies of one report confirmed pair by pair left
 * the newest "duplicating" both others; a pair whose issues Jira already joined through a
 * third issue got a link of its own. Here:
 *
 * - two issues already joined by Duplicate links, directly or through other issues (either
 *   direction), get no new link: the pair is confirmed through the links there are;
 * - otherwise the newer issue duplicates the older, unless the newer one already duplicates
 *   another issue and the older one duplicates none: then the older one is linked as a
 *   duplicate of the newer, which makes a chain (older → newer → the issue it duplicates)
 *   that still leads to one original, instead of a newer issue duplicating two. Only when
 *   both already duplicate other issues does one of them get a second such link.
 * - when the person names the duplicate (Compare's "Link as", the issue kept in a cluster),
 *   that is the link made.
 *
 * The link always joins the pair's own two issues, so Unlink removes it.
 *
 * Pure: the links come from `jira/links.ts` (`readDuplicateLinks`), or from the stored lists
 * when Jira cannot be read (undirected then: they only say what is joined).
 */
import { duplicateByDefault, type Filed } from '../../shared/newer-issue';

export interface ForestIssue {
  id: string;
  key: string;
  /** ms since the epoch; 0 when unknown. */
  createdMs: number;
  /** Jira's resolution name, when known: one closed as "Duplicate" is the duplicate by default. */
  resolution?: string | null;
}

export class DuplicateForest {
  /** issue → the issues it duplicates. */
  private readonly out = new Map<string, Set<string>>();
  /** Both directions, for "joined". */
  private readonly both = new Map<string, Set<string>>();
  private readonly issues = new Map<string, ForestIssue>();

  /** `links`: [duplicate, original] pairs; `undirected` links only join (stored lists). */
  constructor(issues: Iterable<ForestIssue>, links: Iterable<readonly [string, string]>, undirected: Iterable<readonly [string, string]> = []) {
    for (const issue of issues) this.note(issue);
    for (const [dup, orig] of links) this.add(dup, orig);
    for (const [a, b] of undirected) this.join(a, b);
  }

  /** Makes an issue's key and creation time known (kept when already known). */
  note(issue: ForestIssue): void {
    const known = this.issues.get(issue.id);
    if (known === undefined || (known.createdMs === 0 && issue.createdMs !== 0)) this.issues.set(issue.id, { ...issue, resolution: issue.resolution ?? known?.resolution ?? null });
    else if (known.resolution == null && issue.resolution != null) this.issues.set(issue.id, { ...known, resolution: issue.resolution });
  }

  keyOf(id: string): string {
    return this.issues.get(id)?.key ?? id;
  }

  /** Records "dup duplicates orig" (a link read, or one just made). */
  add(dup: string, orig: string): void {
    if (dup === orig) return;
    let set = this.out.get(dup);
    if (set === undefined) this.out.set(dup, (set = new Set()));
    set.add(orig);
    this.join(dup, orig);
  }

  private join(a: string, b: string): void {
    if (a === b) return;
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      let set = this.both.get(x);
      if (set === undefined) this.both.set(x, (set = new Set()));
      set.add(y);
    }
  }

  /** Whether a and b are linked directly (either way). */
  linkedDirectly(a: string, b: string): boolean {
    return this.both.get(a)?.has(b) === true;
  }

  /**
   * The issues between a and b along the shortest chain of Duplicate links (either
   * direction): [] when linked directly, null when not joined at all.
   */
  between(a: string, b: string): string[] | null {
    if (a === b) return [];
    const from = new Map<string, string>([[a, a]]);
    let frontier = [a];
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const x of frontier) {
        for (const y of [...(this.both.get(x) ?? [])].sort()) {
          if (from.has(y)) continue;
          from.set(y, x);
          if (y === b) {
            const path: string[] = [];
            for (let at = from.get(b) as string; at !== a; at = from.get(at) as string) path.unshift(at);
            return path;
          }
          next.push(y);
        }
      }
      frontier = next;
    }
    return null;
  }

  /** The issues this one duplicates (its outward Duplicate links), sorted. */
  originalsOf(id: string): string[] {
    return [...(this.out.get(id) ?? [])].sort();
  }

  /** The issues that duplicate this one (their outward links to it), sorted. */
  duplicatesOfIssue(id: string): string[] {
    return [...(this.both.get(id) ?? [])].filter((other) => this.out.get(other)?.has(id) === true).sort();
  }

  /** Whether the issue duplicates another (has an outward Duplicate link). */
  duplicatesSomething(id: string): boolean {
    return (this.out.get(id)?.size ?? 0) > 0;
  }

  private filed(id: string): Filed {
    const issue = this.issues.get(id);
    return { id, createdMs: issue?.createdMs ?? 0, resolution: issue?.resolution ?? null };
  }

  /**
   * The link that joins a and b (not yet joined): [duplicate, original]. `duplicate`, when
   * named (one of a, b), is the duplicate; otherwise see the module comment.
   */
  linkFor(a: string, b: string, duplicate?: string): [string, string] {
    if (duplicate === a) return [a, b];
    if (duplicate === b) return [b, a];
    // The default duplicate: one already closed as a duplicate in Jira, else the newer one.
    const [dup, orig] = duplicateByDefault(this.filed(a), this.filed(b)) ? [a, b] : [b, a];
    return this.duplicatesSomething(dup) && !this.duplicatesSomething(orig) ? [orig, dup] : [dup, orig];
  }
}
