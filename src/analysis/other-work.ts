/**
 * Two issues can read almost alike and still be different work: "Upgrade jackson-databind to
 * 2.9.10.3" and "… to 2.9.10.4", "Backport HADOOP-17371 to branch-3.2" and "… to branch-3.1".
 * Their text scores high, yet the one thing that tells them apart is the version, branch or
 * issue key each summary names. When both summaries name marks of one kind (versions,
 * branches or issue keys) and share none of that kind, the pair is at most "related": it
 * stays listed, with its score, but is not offered as a possible duplicate and does not join
 * a cluster.
 *
 * The same holds for sibling tasks written from one template: "Replace Guava Sets usage by
 * Hadoop's own Sets in hadoop-hdfs-project" and "… in hadoop-yarn-project". The summaries are
 * the same words but for one place, where each names a different thing (a module, a class,
 * a product) that the other summary does not mention at all (`differingNames`).
 *
 * On the dev set neither rule moves a known duplicate pair out of the duplicate tier
 * (measured: 5 of the 66 name different versions, all 5 already below it; the sibling rule
 * fits none), while 112 of its 449 duplicate-tier pairs move (docs/pipeline.md). A real
 * duplicate filed against two releases, or under two names of one thing, would be shown as
 * related, which is the trade made here.
 */
import { STOP_WORDS, type ScoredPair, type Tier } from '../engine';

/** Versions: 1.2, 2.9.10.3, v3.3.1-RC0 (a lone number such as "Centos 7" is not one). */
const VERSION = /(?<![\p{L}\p{N}.-])v?\d+\.\d+(?:\.\d+)*(?:\.?final)?(?:-[a-z0-9]+)?(?![\p{L}\p{N}])/giu;
/** A range of versions: 3.3.9-3.4.1, 2.10 – 3.3. */
const RANGE = /(?<![\p{L}\p{N}.-])v?\d+\.\d+(?:\.\d+)*\s*[-–]\s*v?\d+\.\d+(?:\.\d+)*(?![\p{L}\p{N}])/giu;
/** A lowest version: "1.68 or later", "4.1.86+", "3.15.0 or newer". */
const LOWEST = /(?<![\p{L}\p{N}.-])v?\d+\.\d+(?:\.\d+)*(?:\.?final)?(?:\s*\+|\s+(?:or|and)\s+(?:later|newer|higher|above|greater))/giu;
/** A lowest version named first: "greater than 1.12.220", "at least 3.3". */
const LOWEST_AFTER = /\b(?:(?:greater|later|newer|higher)\s+than|at\s+least)\s+v?\d+\.\d+(?:\.\d+)*(?:\.?final)?/giu;
/** The version moved away from: "from 1.5.3", "protobuf 3.7.1 to 3.15.0". */
const FROM = /(?:\bfrom\s+v?\d+\.\d+(?:\.\d+)*(?:\.?final)?|(?<![\p{L}\p{N}.-])(?<!\bto\s+)v?\d+\.\d+(?:\.\d+)*(?:\.?final)?(?=\s+to\b))/giu;
/** Branch names: branch-3.2, branch-2.10. */
const BRANCH = /(?<![\p{L}\p{N}])branch-[a-z0-9][a-z0-9._-]*[a-z0-9]/giu;
/** Issue keys; a key counts only when its project is one the site analyses (UTF-8 is no issue). */
const ISSUE_KEY = /(?<![\p{L}\p{N}-])([A-Z][A-Z0-9_]+)-(\d+)(?![\p{L}\p{N}])/gu;

export interface SummaryMarks {
  versions: Set<string>;
  branches: Set<string>;
  keys: Set<string>;
}

/** The versions, branches and issue keys a summary names, lower-cased. */
export function summaryMarks(summary: string, projectKeys: ReadonlySet<string>): SummaryMarks {
  const branches = new Set(Array.from(summary.matchAll(BRANCH), (m) => m[0].toLowerCase()));
  // A branch's own number is not a version of its own; a range (3.3.9-3.4.1), a lowest
  // version ("1.68 or later", "1.12.367+", "greater than 1.12.220") and the version moved
  // away from ("from 1.5.3", "protobuf 3.7.1 to …") name no one release the work is about.
  const kept = summary.replace(BRANCH, ' ').replace(RANGE, ' ').replace(LOWEST, ' ').replace(LOWEST_AFTER, ' ').replace(FROM, ' ');
  // 1.6.0 is 1.6: trailing zero parts name the same release.
  const versions = new Set(Array.from(kept.matchAll(VERSION), (m) => m[0].toLowerCase().replace(/^v/, '').replace(/\.?final/, '').replace(/^(\d+\.\d+)(?:\.0)+(?=$|-)/, '$1')));
  const keys = new Set<string>();
  for (const m of summary.matchAll(ISSUE_KEY)) if (projectKeys.has(m[1] ?? '')) keys.add(m[0].toUpperCase());
  return { versions, branches, keys };
}

function disjoint(x: Set<string>, y: Set<string>): boolean {
  if (x.size === 0 || y.size === 0) return false;
  for (const m of x) if (y.has(m)) return false;
  return true;
}

/** A word of a summary: a run of letters and digits, joined by `. _ - # / : +`. */
const WORD = /[\p{L}\p{N}]+(?:[._\-#/:+][\p{L}\p{N}]+)*/gu;
const JOINED = /[._\-#/:+]/;

interface Word {
  raw: string;
  /** Lower-cased letters and digits only: "No-Op" and "noop" are one word. */
  norm: string;
  /** The joined parts, normalised: "hadoop-thirdparty" → hadoop, thirdparty. */
  parts: string[];
  first: boolean;
}

function summaryWords(summary: string): Word[] {
  const out: Word[] = [];
  for (const m of summary.normalize('NFKC').matchAll(WORD)) {
    const raw = m[0];
    const lower = raw.toLowerCase();
    if (STOP_WORDS.has(lower)) continue;
    const parts = lower.split(JOINED).map((p) => p.replace(/[^\p{L}\p{N}]/gu, '')).filter((p) => p.length > 0);
    out.push({ raw, norm: parts.join(''), parts, first: out.length === 0 });
  }
  return out;
}

/**
 * More than half of the words after the first capitalised, in a summary of four words or more:
 * a title-cased summary, where a capital says nothing. ("Login fails on Safari" is not one.)
 */
function titleCased(words: Word[]): boolean {
  const rest = words.slice(1).filter((w) => /^\p{L}/u.test(w.raw));
  return rest.length >= 3 && rest.filter((w) => /^\p{Lu}/u.test(w.raw)).length * 2 > rest.length;
}

/**
 * A word that names something: joined parts (hadoop-hdfs-project, Sets#newHashSet), letters
 * with digits (s3a, java8), a capital inside (checkArgument, HDFS) or, in a summary that is
 * not title-cased, a capital at the start of any word but the first (Guava Sets, Safari). A
 * lone number (Centos 7, error 500) does not.
 */
function namesSomething(w: Word, title: boolean): boolean {
  if (/^\p{N}+$/u.test(w.norm)) return false;
  if (w.parts.length > 1) return true;
  if (/\p{L}/u.test(w.norm) && /\p{N}/u.test(w.norm)) return true;
  if (/^.+\p{Lu}/u.test(w.raw) && /\p{Lu}.*\p{L}/u.test(w.raw)) return true;
  return !w.first && !title && /^\p{Lu}/u.test(w.raw);
}

/**
 * Two spellings of one word: noop / No-Op, CVE / CVEs, test / testcase, fails / failure. A
 * name with parts or digits is only ever itself: module-a and module-b, java8 and java9 differ.
 */
function sameWord(x: Word, y: Word): boolean {
  if (x.norm === y.norm) return true;
  if (x.parts.length > 1 || y.parts.length > 1 || /\p{N}/u.test(x.norm) || /\p{N}/u.test(y.norm)) return false;
  const shorter = Math.min(x.norm.length, y.norm.length);
  const longer = Math.max(x.norm.length, y.norm.length);
  let common = 0;
  while (common < shorter && x.norm.charCodeAt(common) === y.norm.charCodeAt(common)) common++;
  return (common === shorter && shorter >= 3 && longer - shorter <= 3) || (common >= 4 && common >= shorter - 2 && longer - common <= 4);
}

/** Whether a summary's words mention `w`: spelt alike, or as a part of a joined word (thirdparty in hadoop-thirdparty; not the other way round). */
function mentions(words: Word[], w: Word): boolean {
  return words.some((o) => sameWord(w, o) || (o.parts.length > 1 && o.parts.includes(w.norm)));
}

/**
 * Versions and branches are the marks' business (`summaryMarks`), and a reference (an issue
 * key, CVE-2022-40150) may stand for the very thing the other summary says in words.
 */
function isMark(w: Word): boolean {
  return /\d[._]\d/u.test(w.raw) || /^branch-/iu.test(w.raw) || /^\p{L}[\p{L}\p{N}_]*(?:-\d+)+$/u.test(w.raw);
}

/** At most this many words of each summary that the other does not have. */
const MAX_DIFFERING = 3;
/** At least this many words the two have in common, in the same order. */
const MIN_TEMPLATE = 2;

/**
 * The names two template-made summaries differ in: the summaries have the same words in the
 * same order (stop words aside, and up to three words of each that the other lacks), and at
 * one place, the same in both, each names something (see `namesSomething`) that the other
 * does not mention anywhere. Null otherwise: rewordings ("Test failure" / "Testcase
 * failure"), reorderings, names added in different places, places that differ in plain words
 * ("crashes" / "freezes") and versions or issue keys (the marks' rule) are left to the text.
 */
export function differingNames(a: string, b: string): [string[], string[]] | null {
  const wa = summaryWords(a);
  const wb = summaryWords(b);
  const onlyA = wa.filter((x) => !mentions(wb, x));
  const onlyB = wb.filter((y) => !mentions(wa, y));
  if (onlyA.length === 0 || onlyB.length === 0 || onlyA.length > MAX_DIFFERING || onlyB.length > MAX_DIFFERING) return null;
  const sharedA = wa.filter((w) => !onlyA.includes(w));
  const sharedB = wb.filter((w) => !onlyB.includes(w));
  if (sharedA.length < MIN_TEMPLATE || sharedA.length !== sharedB.length) return null;
  for (let i = 0; i < sharedA.length; i++) {
    const x = sharedA[i]!;
    const y = sharedB[i]!;
    if (!sameWord(x, y) && !x.parts.includes(y.norm) && !y.parts.includes(x.norm)) return null;
  }
  const place = (words: Word[], only: Word[], title: boolean): { names: Word[]; at: number } | null => {
    const names = only.filter((w) => !isMark(w) && namesSomething(w, title));
    if (names.length === 0) return null;
    // The names must stand together, with nothing shared between them.
    const kept = words.filter((w) => !only.includes(w) || names.includes(w));
    const first = kept.indexOf(names[0]!);
    if (names.some((w, i) => kept[first + i] !== w)) return null;
    return { names, at: first };
  };
  const pa = place(wa, onlyA, titleCased(wa));
  const pb = place(wb, onlyB, titleCased(wb));
  if (pa === null || pb === null || pa.at !== pb.at) return null;
  return [pa.names.map((w) => w.raw), pb.names.map((w) => w.raw)];
}

/**
 * Whether the summaries name different work: for versions, branches or issue keys, both name
 * some and share none ("to 2.9.10.3" / "to 2.9.10.4"; "HADOOP-17653" / "HADOOP-18671").
 */
export function namesOtherWork(a: string, b: string, projectKeys: ReadonlySet<string>): boolean {
  const ma = summaryMarks(a, projectKeys);
  if (ma.versions.size + ma.branches.size + ma.keys.size > 0) {
    const mb = summaryMarks(b, projectKeys);
    if (disjoint(ma.versions, mb.versions) || disjoint(ma.branches, mb.branches) || disjoint(ma.keys, mb.keys)) return true;
  }
  return differingNames(a, b) !== null;
}

/**
 * Why two summaries name different work, for people: "The summaries name different
 * versions: 2.9.10.3 and 2.9.10.4." Null when they do not (see `namesOtherWork`).
 */
export function otherWorkNote(a: string, b: string, projectKeys: ReadonlySet<string>): string | null {
  const ma = summaryMarks(a, projectKeys);
  if (ma.versions.size + ma.branches.size + ma.keys.size > 0) {
    const mb = summaryMarks(b, projectKeys);
    const some = (x: Set<string>): string => [...x].slice(0, 2).join(', ');
    for (const [kind, x, y] of [
      ['versions', ma.versions, mb.versions],
      ['branches', ma.branches, mb.branches],
      ['issue keys', ma.keys, mb.keys],
    ] as const) {
      if (disjoint(x, y)) return `The summaries name different ${kind}: ${some(x)} and ${some(y)}.`;
    }
  }
  const names = differingNames(a, b);
  if (names === null) return null;
  return `The summaries are the same but for what each names: ${names[0].join(' ')} and ${names[1].join(' ')}.`;
}

/** The tier a pair is stored with: a possible duplicate that names other work is related. */
export function tierFor(tier: Tier, a: string, b: string, projectKeys: ReadonlySet<string>): Tier {
  return tier === 'duplicate' && namesOtherWork(a, b, projectKeys) ? 'related' : tier;
}

/** `tierFor` over the engine's pairs, given each issue's summary. */
export function withWorkTiers(pairs: ScoredPair[], summaryOf: (id: string) => string | undefined, projectKeys: ReadonlySet<string>): ScoredPair[] {
  return pairs.map((p) => {
    if (p.tier !== 'duplicate') return p;
    const tier = tierFor(p.tier, summaryOf(p.a) ?? '', summaryOf(p.b) ?? '', projectKeys);
    return tier === p.tier ? p : { ...p, tier };
  });
}
