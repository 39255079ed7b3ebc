/**
 * Jira issue → stored document. Re-tokenising is skipped when the text hash is unchanged
 * (the hash covers every field the engine reads, plus a version that changes with the
 * tokenizer, so an engine upgrade re-tokenises everything once). Pass one TermExtractor
 * per batch: it memoises stems, the slow step.
 */
import { createHash } from 'node:crypto';
import { encodeTerms, TermExtractor } from '../engine';
import type { JiraIssue } from '../jira/issues';
import { parseJiraTime, statusCategoryOf } from '../jira/issues';
import { duplicateLinkedIds } from '../jira/links';
import type { DocWrite } from '../store/docs';
import { jsonText } from './json-text';
import { descriptionWords } from './surface-words';

/**
 * Bump when the engine's extraction, or what is stored with the terms, changes in a way
 * stored rows must follow (e4: the stored words name label and component terms too; e5: and the 32 heaviest
 * description terms, not 16; e6: the prolonged sound mark ー joins the Japanese word it lengthens,
 * so サーバー gives サー, ーバ and バー, not サ and バ).
 */
export const TEXT_VERSION = 'e6';

export interface IssueText {
  summary: string;
  description: unknown;
  labels: string[];
  components: string[];
  type: string;
}

export function issueText(issue: JiraIssue): IssueText {
  const f = issue.fields;
  return {
    summary: f.summary ?? '',
    description: f.description ?? null,
    labels: [...(f.labels ?? [])].sort(),
    components: (f.components ?? []).map((c) => c.name).sort(),
    type: f.issuetype?.name ?? '',
  };
}

export function textHash(text: IssueText): string {
  // Not JSON.stringify: it recurses, and a deeply nested description ran it out of stack.
  const payload = jsonText([TEXT_VERSION, text.summary, text.description, text.labels, text.components, text.type]);
  return createHash('sha256').update(payload).digest('hex').slice(0, 16);
}

/**
 * Builds the write for one issue. `knownHash` is the stored hash (if any): when equal, the
 * terms are not recomputed and the stored ones are kept (`terms: null`).
 */
export function buildDoc(issue: JiraIssue, knownHash: string | undefined, extractor: TermExtractor = new TermExtractor()): DocWrite {
  const text = issueText(issue);
  const hash = textHash(text);
  const unchanged = knownHash !== undefined && knownHash === hash;
  const extracted = unchanged
    ? null
    : extractor.extract({
        id: issue.id,
        summary: text.summary,
        description: text.description,
        labels: text.labels,
        components: text.components,
        type: text.type,
      });
  const terms = extracted === null ? null : encodeTerms(extracted);
  const words = extracted === null ? null : descriptionWords(extracted, text.description, extractor, { labels: text.labels, components: text.components });
  return {
    id: issue.id,
    key: issue.key,
    projectKey: issue.fields.project.key,
    type: text.type,
    status: issue.fields.status?.name ?? '',
    statusCategory: statusCategoryOf(issue),
    createdMs: parseJiraTime(issue.fields.created),
    updatedMs: parseJiraTime(issue.fields.updated),
    summary: text.summary,
    textHash: hash,
    terms,
    words,
    dupLinks: duplicateLinkedIds(issue),
    securityLevel: issue.fields.security?.id ?? '',
    resolution: issue.fields.resolution?.name ?? '',
  };
}
