/**
 * Finds duplicate and related issues in a Jira CSV export (or eval's JSONL format).
 *
 *   npm run analyze -- --input FILE [--out pairs.csv] [--threshold X] [--top N]
 *
 * Prints the clusters of duplicates and the strongest pairs with their scores and shared
 * words; --out writes every pair above the threshold as CSV. As the app does, a pair whose
 * summaries name different versions, branches, issue keys or things is at most related
 * (src/analysis/other-work.ts), with the reason in the CSV's `other_work` column. When
 * the export has "Inward/Outward issue link (Duplicate)" columns, the pairs Jira links
 * already are marked (the CSV gains a `linked_in_jira` column) and the links no pair
 * found are counted.
 */
import { accessSync, closeSync, constants, existsSync, fchmodSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { joinCharacterPairs } from '../analysis/character-pairs';
import { otherWorkNote, withWorkTiers } from '../analysis/other-work';
import { buildClusters, DEFAULT_CONFIG, SimilarityIndex, SurfaceForms, TermExtractor, type ScoredPair, type SurfaceText } from '../engine';
import { withoutControlCharacters } from '../import/control-text';
import { CSV_BOM, csvLine } from '../shared/csv';
import { pairCells } from '../shared/pair-csv';
import { numberArg, parseArgs, UsageError } from './lib/args';
import { InputFormatError, type IssueRecord } from './lib/issue-record';
import { scorePlaces, scoreText } from '../shared/score-text';
import { duplicateLinkPairs, duplicateLinksOutside, loadIssues, type LoadStats } from './lib/load';

const USAGE = 'usage: npm run analyze -- --input FILE [--out pairs.csv] [--threshold 0..1] [--top N]';
/** Files with more issues than this get a progress line on stderr. */
const PROGRESS_FROM = 5000;
/** Characters of each description searched for the written form of a shared term. */
const DESCRIPTION_LOOKUP = 20_000;
/** Issues named when the export links issues outside the file as duplicates. */
const OUTSIDE_EXAMPLES = 3;
/** Pairs written between looks at the clock for the progress line. */
const WRITE_PROGRESS_EVERY = 1000;

/** The CSV could not be written (exit code 2, as for a bad path). */
class OutputError extends Error {
  override readonly name = 'OutputError';
}

/** Why a file operation failed, in words, with Node's code. */
function ioReason(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'the disk quota is used up',
    EROFS: 'the file system is read-only',
    ENOENT: 'no such file or folder',
    EISDIR: 'it is a folder',
  };
  const text = typeof code === 'string' ? words[code] : undefined;
  return text ? `${text} (${String(code)})` : e instanceof Error ? e.message : String(e);
}

/** The file --out names, open for writing; a regular file is written beside it and renamed into place at the end. */
interface OutFile {
  path: string;
  fd: number;
  /** The file written, renamed to `path` when done; absent for a device or pipe, written directly. */
  temp?: string;
}

/**
 * Opens --out before any work: refuses a folder, a missing folder, the input file itself
 * (by real path, and by device and inode for hard links) and a place that cannot be
 * written. A regular file is written to a temporary file beside it and renamed over it
 * at the end, so a run that fails leaves the old file as it was.
 */
function openOut(out: string, input: string): OutFile {
  const exists = existsSync(out);
  if (exists && statSync(out).isDirectory()) throw new UsageError(`--out ${out} is a folder: give a file name, such as ${join(out, 'pairs.csv')}`);
  if (exists && existsSync(input)) {
    const o = statSync(out);
    const i = statSync(input);
    if (realpathSync(out) === realpathSync(input) || (o.dev === i.dev && o.ino === i.ino)) {
      throw new UsageError(`--out ${out} is the input file, which writing would overwrite: give another name, such as ${join(dirname(out), 'pairs.csv')}`);
    }
  }
  const dir = dirname(resolve(out));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--out ${out}: the folder ${dir} does not exist`);
  if (exists && !statSync(out).isFile()) {
    // A device or a pipe (/dev/stdout): written as it is.
    try {
      return { path: out, fd: openSync(out, 'w') };
    } catch (e) {
      throw new OutputError(`cannot write ${out}: ${ioReason(e)}`);
    }
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${out}: the folder ${dir} is not writable`);
  }
  if (exists) {
    try {
      accessSync(out, constants.W_OK);
    } catch {
      throw new UsageError(`--out ${out} is read-only`);
    }
  }
  const temp = join(dir, `.${basename(out)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx');
  } catch (e) {
    throw new OutputError(`cannot write ${out}: ${ioReason(e)}`);
  }
  if (exists) fchmodSync(fd, statSync(out).mode & 0o777);
  return { path: out, fd, temp };
}

/** Closes the file and renames it into place (ok), or closes it and removes the temporary file. */
function closeOut(file: OutFile, ok: boolean): void {
  if (!ok) {
    try {
      closeSync(file.fd);
    } finally {
      if (file.temp && existsSync(file.temp)) unlinkSync(file.temp);
    }
    return;
  }
  try {
    closeSync(file.fd);
    if (file.temp) renameSync(file.temp, file.path);
  } catch (e) {
    if (file.temp && existsSync(file.temp)) unlinkSync(file.temp);
    throw new OutputError(`cannot write ${file.path}: ${ioReason(e)}`);
  }
}

/** Text written to the file in pieces of about 1 MB: no string as large as the file. */
function outWriter(file: OutFile): { write(text: string): void; end(): void } {
  let buffer: string[] = [];
  let size = 0;
  const flush = (): void => {
    const data = Buffer.from(buffer.join(''), 'utf8');
    buffer = [];
    size = 0;
    let at = 0;
    try {
      while (at < data.length) at += writeSync(file.fd, data, at, data.length - at);
    } catch (e) {
      throw new OutputError(`cannot write ${file.path}: ${ioReason(e)}`);
    }
  };
  return {
    write(text: string): void {
      buffer.push(text);
      size += text.length;
      if (size >= 1_000_000) flush();
    },
    end: flush,
  };
}

/**
 * Text from the file made safe for a terminal: escape sequences (colours, a window title)
 * removed and other control characters (C0 and C1, tab and line breaks included) shown as
 * spaces, so a summary stays on its line. The issues' text has none left (loadIssues);
 * keys, ids, paths and messages may.
 */
function printable(text: string): string {
  return withoutControlCharacters(text).replace(/[\t\n\r]/g, ' ');
}

/** A message line for the terminal: as printable, keeping its line breaks. */
function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

/** Undirected pair key. */
function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** The pairs of the file's issues that Jira links as duplicates already (its link columns, keys resolved to ids). */
function linkedPairs(issues: IssueRecord[]): Set<string> {
  const ids = new Set(issues.map((i) => i.id));
  return new Set(duplicateLinkPairs(issues).filter(([a, b]) => ids.has(a) && ids.has(b)).map(([a, b]) => pairKey(a, b)));
}

function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${text}\u001b[K`);
  else process.stderr.write(text + '\n');
}

/**
 * Shared words with the parts of a longer shared word folded into it ("Pay" and "Pal" into
 * "PayPal", their shares added), best first: an identifier and its parts name one word.
 */
function mergeParts(words: Array<{ word: string; share: number }>): Array<{ word: string; share: number }> {
  const merged = new Map<string, { word: string; share: number }>();
  const byLength = [...words].sort((x, y) => y.word.length - x.word.length);
  for (const w of byLength) {
    const lower = w.word.toLowerCase();
    const into = [...merged.values()].find((m) => m.word.toLowerCase().includes(lower));
    if (into) into.share += w.share;
    else merged.set(lower, { ...w });
  }
  return [...merged.values()].sort((x, y) => y.share - x.share || (x.word < y.word ? -1 : x.word > y.word ? 1 : 0));
}

async function main(argv: string[]): Promise<void> {
  // A reader that stops early (`| head`) closes the pipe: the report is cut there, as with any
  // command, and the run goes on, so --out is still written (it used to end in a stack trace).
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  const args = parseArgs(argv, { values: ['input', 'out', 'threshold', 'top'], flags: ['help'] });
  if (args.flags.has('help')) {
    console.log(USAGE);
    return;
  }
  const input = args.values.get('input');
  if (!input) throw new UsageError('--input is required');
  const threshold = numberArg(args, 'threshold', 0, 1);
  const top = numberArg(args, 'top', 1, 100000) ?? 20;
  const out = args.values.get('out');
  const file = out ? openOut(out, input) : undefined;
  // Interrupted: no temporary file left behind, and the earlier --out as it was.
  const interrupted = (signal: NodeJS.Signals): void => {
    if (file) closeOut(file, false);
    process.kill(process.pid, signal);
  };
  if (file) for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, interrupted);
  let ok = false;
  let written = 0;
  try {
    written = await analyze(input, threshold, top, file);
    ok = true;
  } finally {
    if (file) closeOut(file, ok);
  }
  if (file) console.log(`\nwrote ${written} pairs to ${printable(file.path)}`);
}

/** Prints the report and writes the pairs to `file`; returns the number of pairs. */
async function analyze(input: string, threshold: number | undefined, top: number, file: OutFile | undefined): Promise<number> {
  const say = (line: string): void => console.log(printableLines(line));
  let lastReport = 0;
  let reported = false;
  const stats: LoadStats = { headerRows: 0, repeatedIds: 0 };
  const issues = await loadIssues(
    input,
    (p) => {
      const now = Date.now();
      if (p.totalBytes > 20_000_000 && now - lastReport > 1000) {
        lastReport = now;
        reported = true;
        progress(`reading ${input}: ${Math.round((100 * p.bytes) / p.totalBytes)}%`);
      }
    },
    stats,
  );
  if (reported) progress(`reading ${input}: 100%`);
  if (stats.headerRows > 0) console.error(printable(`analyze: skipped ${stats.headerRows} ${stats.headerRows === 1 ? 'row that repeats' : 'rows that repeat'} the header row (exports joined together)`));
  if (stats.repeatedIds > 0) console.error(printable(`analyze: dropped ${stats.repeatedIds} ${stats.repeatedIds === 1 ? 'row whose issue id an earlier row has' : 'rows whose issue ids earlier rows have'}; the last row of each id is kept`));
  if (issues.length === 0) {
    throw new InputFormatError(
      `${input} holds no issues, only column names: in Jira's issue search, check that the filter finds the issues, then export again (Export → CSV)`,
    );
  }
  const byId = new Map(issues.map((i) => [i.id, i]));

  const index = new SimilarityIndex(threshold === undefined ? {} : { thresholds: { related: threshold, duplicate: Math.max(threshold, 0.45) } });
  const extractor = new TermExtractor();
  const started = Date.now();
  const large = issues.length >= PROGRESS_FROM;
  issues.forEach((issue, i) => {
    index.upsert(extractor.extract(issue));
    if (large && (i + 1) % 5000 === 0) progress(`analysing: ${i + 1} of ${issues.length} issues`);
  });
  if (large) progress(`finding pairs among ${issues.length} issues…`);
  // The projects the file's issue keys name: an issue key of one of them is a mark.
  const projectKeys = new Set(issues.flatMap((i) => (i.key && /^[A-Z][A-Z0-9_]+-\d+$/.test(i.key) ? [i.key.slice(0, i.key.lastIndexOf('-'))] : [])));
  // The search prunes by the lowest score it is asked for, and above the default it can miss
  // pairs the default search finds (two issues scoring 1 without --threshold, not found at
  // 0.999). Searched from the default and cut at --threshold, the pairs at X are those of a
  // run without it that score X or more.
  const from = Math.min(index.config.thresholds.related, DEFAULT_CONFIG.thresholds.related);
  const scanned = index.allPairs({ minScore: from }).filter((p) => p.score >= index.config.thresholds.related);
  const pairs = withWorkTiers(scanned, (id) => byId.get(id)?.summary, projectKeys);
  if (large) progress(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  const { duplicate, related } = index.config.thresholds;
  // Scores cut off, with as many places as the thresholds have: a printed score reaches a
  // threshold exactly when the pair does (0.99996 is no 1.0000 at --threshold 1).
  const places = scorePlaces(2, [related, duplicate]);
  const csvPlaces = scorePlaces(4, [related, duplicate]);
  const clusters = buildClusters(pairs, { tier: 'duplicate' });
  const hasLinks = issues.some((i) => i.duplicateLinks !== undefined);
  const linked = linkedPairs(issues);
  const isLinked = (p: ScoredPair): boolean => linked.has(pairKey(p.a, p.b));
  const inDuplicateTier = pairs.filter((p) => p.tier === 'duplicate').length;
  const scoredDuplicate = pairs.filter((p) => p.score >= duplicate).length;
  const keptRelated = scoredDuplicate - inDuplicateTier;
  // As the tiers are: the other-work rule keeps some pairs scored at or above the duplicate threshold related.
  const tierNote = keptRelated > 0
    ? `${scoredDuplicate} scored at or above ${duplicate}; ${keptRelated} kept related because their summaries name different work`
    : `at or above ${duplicate}`;
  say(`${issues.length} issues; ${pairs.length} pairs at or above ${related}; ${inDuplicateTier} in the duplicate tier (${tierNote})`);
  if (hasLinks) {
    const found = pairs.filter(isLinked).length;
    say(`Jira links ${linked.size} ${linked.size === 1 ? 'pair' : 'pairs'} of these issues as duplicates: ${found} found here (marked "linked in Jira"), ${linked.size - found} not found`);
    // Links to issues outside the file: no pair here can be one of them, so they are in no count above.
    const outside = duplicateLinksOutside(issues);
    if (outside.links > 0) {
      const n = outside.issues.length;
      const named = outside.issues.slice(0, OUTSIDE_EXAMPLES).map(printable).join(', ') + (n > OUTSIDE_EXAMPLES ? ` and ${n - OUTSIDE_EXAMPLES} more` : '');
      say(`${outside.links} Duplicate ${outside.links === 1 ? 'link points' : 'links point'} to ${n === 1 ? 'an issue' : `${n} issues`} not in this file (${named}), not counted above`);
    }
  }
  const label = (id: string): string => printable(byId.get(id)?.key ?? id);
  const summaryOf = (id: string): string => printable(byId.get(id)?.summary ?? '');
  say(`\n${clusters.length} duplicate clusters${clusters.length > top ? ` (largest ${top} shown)` : ''}:`);
  for (const c of clusters.slice(0, top)) {
    say(`  ${label(c.representative)} "${summaryOf(c.representative)}" + ${c.members.length - 1} more (max ${scoreText(c.maxScore, places)}): ` + c.members.filter((m) => m !== c.representative).map(label).join(', '));
  }
  // Shared terms as the issues wrote them: looked up in the two summaries, then (for terms
  // only the descriptions hold) in the descriptions' first DESCRIPTION_LOOKUP characters.
  // Each issue's summary and description are read for words once, when a pair first needs
  // them, not again for each of its pairs (which made writing --out slow: docs/engine.md).
  const finder = new SurfaceForms(extractor);
  const prepared = new Map<string, { summary: SurfaceText; description?: SurfaceText }>();
  const textsOf = (id: string): { summary: SurfaceText; description?: SurfaceText } => {
    let texts = prepared.get(id);
    if (texts === undefined) {
      texts = { summary: finder.prepare(byId.get(id)?.summary ?? '') };
      prepared.set(id, texts);
    }
    return texts;
  };
  const descriptionOf = (id: string): SurfaceText => {
    const texts = textsOf(id);
    if (texts.description === undefined) {
      const description = byId.get(id)?.description;
      texts.description = finder.prepare(typeof description === 'string' ? description.slice(0, DESCRIPTION_LOOKUP) : '');
    }
    return texts.description;
  };
  const sharedTerms = (p: ScoredPair): Array<{ word: string; share: number }> => {
    // More terms than shown: an identifier and its parts ("PayPal": paypal, pay, pal) become one word below.
    const terms = index.explain(p.a, p.b, 15).terms;
    const a = byId.get(p.a);
    const b = byId.get(p.b);
    const forms = finder.in([textsOf(p.a).summary, textsOf(p.b).summary], terms.map((t) => t.term));
    const missing = terms.map((t) => t.term).filter((t) => !forms.has(t));
    if (missing.length > 0) {
      for (const [term, form] of finder.in([descriptionOf(p.a), descriptionOf(p.b)], missing)) forms.set(term, form);
    }
    // Chinese, Japanese and Korean character pairs that run on in both summaries as the text they make up, as the app shows them.
    const named = joinCharacterPairs(terms.map((t) => ({ term: forms.get(t.term) ?? t.term, share: t.share })), a?.summary ?? '', b?.summary ?? '');
    return mergeParts(named.map((t) => ({ word: t.term, share: t.share }))).slice(0, 5);
  };
  const shared = (p: ScoredPair): string => printable(sharedTerms(p).map((t) => `${t.word} ${Math.round(t.share * 100)}%`).join(', '));
  say(`\nstrongest pairs${pairs.length > top ? ` (top ${top} of ${pairs.length})` : ''}:`);
  const indent = ' '.repeat(places + 15);
  for (const p of pairs.slice(0, top)) {
    say(`  ${scoreText(p.score, places)} ${p.tier.padEnd(9)} ${label(p.a)} "${summaryOf(p.a)}"${isLinked(p) ? ' (linked in Jira)' : ''}`);
    say(`${indent}${label(p.b)} "${summaryOf(p.b)}"`);
    say(`${indent}shared: ${shared(p)}`);
  }

  if (file) {
    const writer = outWriter(file);
    const columns = ['id_a', 'key_a', 'id_b', 'key_b', 'score', 'tier', 'shared_terms', 'other_work'];
    writer.write(CSV_BOM + csvLine(hasLinks ? [...columns, 'linked_in_jira'] : columns) + '\n');
    const where = printable(file.path);
    let lastWriteReport = Date.now();
    for (let n = 0; n < pairs.length; n++) {
      const p = pairs[n] as ScoredPair;
      const a = byId.get(p.a);
      const b = byId.get(p.b);
      // Only where it is why the pair is related: below the duplicate threshold the score says so.
      const note = p.tier === 'related' && p.score >= duplicate ? otherWorkNote(a?.summary ?? '', b?.summary ?? '', projectKeys) : null;
      // As the app's export writes them (pairCells).
      const same = pairCells({ keyA: a?.key ?? '', keyB: b?.key ?? '', score: p.score, tier: p.tier, sharedTerms: sharedTerms(p).map((t) => t.word), otherWork: note }, csvPlaces);
      const cells = [p.a, same.keyA, p.b, same.keyB, same.score, same.tier, same.sharedTerms, same.otherWork];
      writer.write(csvLine(hasLinks ? [...cells, isLinked(p) ? 'yes' : ''] : cells) + '\n');
      // Shared words for every pair take a while on a large file: say how far it is.
      if (large && (n + 1) % WRITE_PROGRESS_EVERY === 0 && Date.now() - lastWriteReport > 1000) {
        lastWriteReport = Date.now();
        progress(`writing ${where}: ${n + 1} of ${pairs.length} pairs`);
      }
      // Let Ctrl-C in now and then: it removes the temporary file (main).
      if ((n + 1) % WRITE_PROGRESS_EVERY === 0) await new Promise((done) => setImmediate(done));
    }
    writer.end();
    if (large) progress(`writing ${where}: ${pairs.length} of ${pairs.length} pairs\n`);
  }
  return pairs.length;
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof InputFormatError || err instanceof OutputError) {
    console.error(`analyze: ${printable(err.message)}`);
    if (err instanceof UsageError) console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  console.error(`analyze: ${printable(err instanceof Error ? err.message : String(err))}`);
  process.exitCode = 1;
});
