/**
 * One hand-written issue of the sample backlog, before dates, keys and
 * statuses are dealt out. Descriptions are assembled from these parts in Jira
 * wiki markup, the way a team's issue templates lay them out.
 */
export interface BacklogItem {
  /** A handle for planted duplicates to point at; only needed on originals. */
  ref?: string;
  type: 'Bug' | 'Story' | 'Task' | 'Improvement';
  summary: string;
  /** The opening paragraph(s); blank lines separate paragraphs. */
  text: string;
  steps?: string[];
  expected?: string;
  actual?: string;
  /** Acceptance criteria for stories, a checklist for tasks. */
  checklist?: string[];
  /** A log excerpt or stack trace, shown as {noformat}. */
  log?: string;
  /** A code snippet, shown as {code:<lang>}. */
  code?: { lang: string; text: string };
  /** A closing remark: environment, workaround, links. */
  note?: string;
  components: string[];
  labels?: string[];
  priority?: 'Highest' | 'High' | 'Medium' | 'Low' | 'Lowest';
  /** An issue security level (by name): only its members see the issue. */
  securityLevel?: string;
}

/** A planted duplicate: a reworded report of `of`, possibly in another project. */
export interface DuplicateItem extends BacklogItem {
  of: string;
  project: 'SHOP' | 'MOB' | 'OPS';
}
