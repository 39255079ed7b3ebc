/**
 * Index terms are stems ("connect"); people want the word they wrote ("Connection").
 * For each document, the words of its stored summary are mapped to their terms once, with
 * one shared TermExtractor (it memoises stems, the slow step), so naming the shared terms
 * of tens of thousands of pairs costs a map lookup each. Terms that do not occur in either
 * summary (description-only words) keep their stem.
 */
import { descriptionSegments, encodedHasTerm, surfaceForms, TermExtractor, type DocTerms } from '../engine';
import { clipCodePoints } from '../shared/code-points';

const WORD = /[\p{L}\p{N}_$][\p{L}\p{N}\p{M}_$]*(?:[.\-/:#@][\p{L}\p{N}_$][\p{L}\p{N}\p{M}_$]*)*/gu;

/** Identifiers and addresses: words with separators or a lower-to-upper case change. */
const IDENTIFIER = /[.\-/:#@_]|[a-z][A-Z]/;
const IDENTIFIER_PARTS = /[.\-/:#@_]|(?<=[a-z])(?=[A-Z])/;

/**
 * The terms of an identifier's parts, each with the part it comes from ("OutputStream" →
 * output: Output, stream: Stream), and the identifier's own term when the engine indexes it
 * whole too (undefined for "hadoop-hdfs-project", which gives hadoop, hdfs and project
 * alone). Null for a plain word.
 */
function identifierParts(extractor: TermExtractor, word: string): { parts: Map<string, string>; whole: string | undefined } | null {
  if (!IDENTIFIER.test(word)) return null;
  const parts = new Map<string, string>();
  for (const part of word.split(IDENTIFIER_PARTS)) {
    if (part === '') continue;
    // A part's own terms: a stop word among the parts ("us" of "ContactUs") is no term of the
    // identifier, and its fallback term could take the name of a real one ("us" of "used").
    for (const term of extractor.ownTerms(part)) if (!parts.has(term)) parts.set(term, part);
  }
  const terms = extractor.tokenize(word);
  const whole = terms.find((t) => !parts.has(t));
  // A version's release line ("3.3" of "3.3.5") is a part of it too, written as itself: two
  // issues that share only the line share "3.3", not the "3.3.0" one of them writes.
  for (const t of terms) if (t !== whole && RELEASE_LINE.test(t) && !parts.has(t)) parts.set(t, t);
  return { parts, whole };
}

/** The release line the engine also indexes a version by ("3.3" of "3.3.5"). */
const RELEASE_LINE = /^\d+\.\d+$/;

/** Han, kana or Hangul: scripts written without spaces, whose terms are character pairs. */
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** A word written capitalised only because it starts the summary or a clause in it. */
const TITLE_CASE = /^\p{Lu}\p{Ll}+$/u;
const CLAUSE_START = /(?:^|[:.!?]\s+|\s[-–—]\s+|[[(]\s*)$/u;

interface SummaryWords {
  /** term → the first word producing it where its case is the writer's own. */
  named: Map<string, string>;
  /**
   * A part of an identifier ("api" of "javaApi") → the identifier's own term, and the part
   * as written: the identifier names the part only when the other issue has it too.
   */
  parts: Map<string, { whole: string; text: string }>;
  /**
   * term → a word seen only at the start of the summary or of a clause ("Inventory sync
   * fails"), lower-cased: there its capital says where it stands, not what it is.
   */
  initial: Map<string, string>;
}

export class SurfaceWords {
  private readonly extractor = new TermExtractor();
  private readonly byDoc = new Map<string, SummaryWords>();

  /** The words of `summary` by the terms they produce; cached per document id. */
  of(docId: string, summary: string): SummaryWords {
    let words = this.byDoc.get(docId);
    if (words) return words;
    words = { named: new Map(), initial: new Map(), parts: new Map() };
    const { named, initial, parts } = words;
    // Each word by its own terms, as highlighting matches them: a stop word's fallback term
    // ("us", "on") would otherwise name a stem it shares with a later word ("used", "one").
    // Only a summary of stop words alone, which the engine indexes by its fallback terms, is
    // named by them.
    const fallbackOnly = this.extractor.ownTerms(summary).length === 0;
    for (const m of summary.matchAll(WORD)) {
      const word = m[0];
      const atStart = TITLE_CASE.test(word) && CLAUSE_START.test(summary.slice(Math.max(0, (m.index ?? 0) - 4), m.index));
      const terms = fallbackOnly ? this.extractor.tokenize(word) : this.extractor.ownTerms(word);
      // Chinese, Japanese and Korean text has no spaces: a "word" here is a whole run, and
      // each two characters of it are a term. Each term is named by its own two characters
      // (the shared words of two such summaries used to be the two whole summaries).
      if (CJK_CHAR.test(word)) {
        for (const [term, text] of surfaceForms(word, terms)) if (!named.has(term)) named.set(term, text);
        continue;
      }
      for (const term of terms) {
        if (atStart) {
          if (!initial.has(term)) initial.set(term, word.toLowerCase());
        } else if (!named.has(term)) named.set(term, word);
      }
      // Identifiers also index their parts ("OutputStream" → output, stream): map those too.
      const id = identifierParts(this.extractor, word);
      if (id !== null) {
        const { parts: partTerms, whole } = id;
        for (const [term, text] of partTerms) if (!named.has(term)) named.set(term, text);
        if (whole !== undefined) {
          for (const [term, text] of partTerms) if (!parts.has(term)) parts.set(term, { whole, text });
        } else {
          // Not indexed whole ("hadoop-hdfs-project" gives hadoop, hdfs, project alone): each
          // part is its own word, or "hadoop-hdfs-project" would be shown as a word shared
          // with "hadoop-mapreduce-project", the very word that differs.
          for (const [term, text] of partTerms) if (named.get(term) === word) named.set(term, text);
        }
      }
    }
    this.byDoc.set(docId, words);
    return words;
  }

  /**
   * How `w`'s summary writes `term`; a part of an identifier is named by the whole identifier
   * only when `other` holds the identifier too (else "javaApi" would be shown as a word both
   * issues share when the other one only says "API").
   */
  private writtenIn(w: SummaryWords, term: string, other: Named): string | undefined {
    const named = w.named.get(term);
    if (named === undefined) return undefined;
    const part = w.parts.get(term);
    if (part !== undefined && other.terms !== undefined && other.terms !== '' && !encodedHasTerm(other.terms, part.whole)) return part.text;
    return named;
  }

  /**
   * The word people wrote for `term`: from either summary where its case is the writer's
   * own, else from one where it starts a clause (lower-cased, unless a stored description
   * word is the same word with capitals), else the stored description word, else the stem.
   */
  /**
   * A stored description word for `term`; when that word is an identifier or an address the
   * term is only a part of ("ci-hadoop.apache.org/job/…" for apache), the part, unless the
   * other issue holds the whole too: as `writtenIn` does for summaries.
   */
  private storedFor(words: string | undefined, term: string, other: Named): string | undefined {
    const word = storedWord(words, term);
    const id = word === undefined ? null : identifierParts(this.extractor, word);
    if (word === undefined || id === null) return word;
    const part = id.parts.get(term);
    if (part === undefined) return word;
    const whole = id.whole;
    return whole !== undefined && other.terms !== undefined && other.terms !== '' && encodedHasTerm(other.terms, whole) ? word : part;
  }

  name(term: string, a: Named, b: Named): string {
    const wa = this.of(a.id, a.summary);
    const wb = this.of(b.id, b.summary);
    const named = this.writtenIn(wa, term, b) ?? this.writtenIn(wb, term, a);
    if (named !== undefined) return named;
    const stored = this.storedFor(a.words, term, b) ?? this.storedFor(b.words, term, a);
    const initial = wa.initial.get(term) ?? wb.initial.get(term);
    if (initial === undefined) return stored ?? term;
    // A description that writes the same word with a capital mid-sentence names it ("Switzerland").
    return stored !== undefined && stored.toLowerCase() === initial ? stored : initial;
  }
}

interface Named {
  id: string;
  summary: string;
  /** "stem=word|…" from the document row (descriptionWords at fetch time). */
  words?: string;
  /** The stored terms (`encodeTerms`), when at hand: tells whether an identifier is shared whole. */
  terms?: string;
}

/** Written for an entry whose word is the previous entry's (an identifier named by each of its parts). */
const SAME_AS_BEFORE = '^';

/** The word stored for `term` in "stem=word|…" (`^` for a word means the previous entry's word). */
export function storedWord(words: string | undefined, term: string): string | undefined {
  if (!words) return undefined;
  const key = `${term}=`;
  let at = words.startsWith(key) ? 0 : words.indexOf(`|${key}`);
  if (at < 0) return undefined;
  let start = at === 0 ? key.length : at + 1 + key.length;
  for (;;) {
    const end = words.indexOf('|', start);
    const word = words.slice(start, end < 0 ? undefined : end);
    if (word !== SAME_AS_BEFORE) return word;
    // Back to the previous entry: its "stem=" starts after the '|' before `at`.
    if (at === 0) return undefined;
    const previous = words.lastIndexOf('|', at - 1);
    at = previous < 0 ? 0 : previous;
    start = words.indexOf('=', previous + 1) + 1;
    if (start <= 0) return undefined;
  }
}

/**
 * The word to show for `term` in `word`: the word itself, unless it is an identifier the
 * engine does not index whole ("hadoop-hdfs-project" gives hadoop, hdfs, project), whose
 * term then came from one part and is shown as that part (else "hadoop-hdfs-project"
 * would stand for the "project" it shares with "hadoop-mapreduce-project").
 */
function partWordFor(extractor: TermExtractor, word: string, term: string): string {
  const id = identifierParts(extractor, word);
  if (id === null || id.whole !== undefined) return word;
  return id.parts.get(term) ?? word;
}

/**
 * How many of a description's heaviest terms get their surface word stored. 32 on the
 * Hadoop backlog: of 20,446 reasons of its 6,000 strongest pairs, 15 showed a stem found in
 * neither issue ("daili", "deploi"), against 45 with 16; the column's 600 characters cut 14
 * of its 2,503 issues' lists. Entries stay in the order the text has them, so that the parts
 * of one identifier follow each other and cost "stem=^" each (heaviest first cut 79).
 */
const DESCRIPTION_WORDS = 32;

/** An issue's labels and components, as Jira gives them. */
export interface IssueTags {
  labels?: readonly string[];
  components?: readonly string[];
}

/**
 * How the issue's labels and components write their terms ("flaky-tests" for flaki and
 * test; "Release Notes" for releas and note): each part of a label under its own term, the
 * label whole under the terms only it gives. Labels are listed before description words.
 */
function tagWords(doc: DocTerms, tags: IssueTags, extractor: TermExtractor): Map<string, string> {
  const wanted = new Set([...(doc.fields.labels ?? []), ...(doc.fields.components ?? [])].map(([t]) => t).filter((t) => !/[=|]/.test(t)));
  const found = new Map<string, string>();
  if (wanted.size === 0) return found;
  for (const values of [tags.labels ?? [], tags.components ?? []]) {
    // Own terms, as the summaries' and descriptions' words: a stop word's fallback term could
    // take the name of a real one ("On" of a component "On Call" for the "on" of "One Time").
    // Only a field of stop words alone, which the engine indexes by their fallback terms (a
    // component "On"), is named by them.
    const fallbackOnly = values.every((v) => extractor.ownTerms(v).length === 0);
    const termsOf = (text: string) => (fallbackOnly ? extractor.tokenize(text) : extractor.ownTerms(text));
    for (const tag of values) {
      for (const m of tag.matchAll(WORD)) {
        for (const part of m[0].split(/[.\-/:#@_]/)) {
          if (part === '') continue;
          for (const term of termsOf(part)) if (wanted.has(term) && !found.has(term)) found.set(term, clipCodePoints(part, 40));
        }
        for (const term of termsOf(m[0])) if (wanted.has(term) && !found.has(term)) found.set(term, clipCodePoints(m[0], 40));
      }
    }
  }
  return found;
}

/**
 * "stem=word|…" for the terms of the issue's labels and components (`tags`), then for the
 * heaviest description terms, whose word differs from the stem, found in the text while it
 * is at hand (fetch time). At most 600 characters. An entry whose word is the previous
 * entry's is written "stem=^": the parts of one long identifier ("com.atlassian.jira…" names
 * com, atlassian, jira, …) then cost a few bytes each instead of the identifier again.
 */
export function descriptionWords(doc: DocTerms, description: unknown, extractor: TermExtractor, tags: IssueTags = {}): string {
  const tagged = tagWords(doc, tags, extractor);
  const wanted = new Set(
    (doc.fields.description ?? [])
      .slice(0, DESCRIPTION_WORDS)
      .map(([t]) => t)
      .filter((t) => !/[=|]/.test(t)),
  );
  if (wanted.size === 0 && tagged.size === 0) return '';
  const found = new Map<string, string>();
  // Terms found so far only as a sentence's first word (lower-cased): a later use wins.
  const initial = new Set<string>();
  outer: for (const segment of wanted.size > 0 ? descriptionSegments(description) : []) {
    if (segment.kind === 'code') continue;
    const text = segment.text;
    for (const m of text.matchAll(WORD)) {
      const atStart = TITLE_CASE.test(m[0]) && CLAUSE_START.test(text.slice(Math.max(0, (m.index ?? 0) - 4), m.index));
      // Own terms only: a stop word's fallback term could take the name of a real one ("us" of
      // "used"); a description of stop words alone, indexed by them, is written as its stems anyway.
      for (const term of extractor.ownTerms(m[0])) {
        if (!wanted.has(term) || (found.has(term) && (atStart || !initial.has(term)))) continue;
        const written = partWordFor(extractor, m[0], term);
        found.set(term, clipCodePoints(atStart ? written.toLowerCase() : written, 40));
        if (atStart) initial.add(term);
        else initial.delete(term);
        if (found.size === wanted.size && initial.size === 0) break outer;
      }
    }
  }
  let out = '';
  let previous = '';
  for (const [term, raw] of [...tagged, ...[...found].filter(([t]) => !tagged.has(t))]) {
    // A word that reads as its term needs no entry; one with the writer's capitals does.
    if (raw === term) continue;
    const word = raw.replace(/[=|]/g, '');
    const entry = `${out === '' ? '' : '|'}${term}=${word === previous ? SAME_AS_BEFORE : word}`;
    if (out.length + entry.length > 600) break;
    out += entry;
    previous = word;
  }
  return out;
}
