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
import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { joinCharacterPairs } from '../analysis/character-pairs';
import { otherWorkNote, withWorkTiers } from '../analysis/other-work';
import { buildClusters, SimilarityIndex, surfaceForms, TermExtractor, type ScoredPair } from '../engine';
import { csvLine } from '../shared/csv';
import { numberArg, parseArgs, UsageError } from './lib/args';
import { InputFormatError, type IssueRecord } from './lib/issue-record';
import { duplicateLinkPairs, loadIssues } from './lib/load';

const USAGE = 'usage: npm run analyze -- --input FILE [--out pairs.csv] [--threshold 0..1] [--top N]';
/** Files with more issues than this get a progress line on stderr. */
const PROGRESS_FROM = 5000;
/** Characters of each description searched for the written form of a shared term. */
const DESCRIPTION_LOOKUP = 20_000;

function label(issue: IssueRecord | undefined, id: string): string {
  return issue?.key ?? id;
}

/** Refuses, before any work, an --out the CSV could not be written to. */
function checkOut(out: string): void {
  if (existsSync(out) && statSync(out).isDirectory()) throw new UsageError(`--out ${out} is a folder: give a file name, such as ${join(out, 'pairs.csv')}`);
  const dir = dirname(resolve(out));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--out ${out}: the folder ${dir} does not exist`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${out}: the folder ${dir} is not writable`);
  }
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
  if (out) checkOut(out);

  let lastReport = 0;
  const issues = await loadIssues(input, (p) => {
    const now = Date.now();
    if (p.totalBytes > 20_000_000 && now - lastReport > 1000) {
      lastReport = now;
      progress(`reading ${input}: ${Math.round((100 * p.bytes) / p.totalBytes)}%`);
    }
  });
  if (issues.length === 0) throw new InputFormatError(`${input} holds no issues`);
  const byId = new Map(issues.map((i) => [i.id, i]));
  if (byId.size !== issues.length) console.error(`analyze: ${issues.length - byId.size} repeated issue ids; the last row of each wins`);

  const index = new SimilarityIndex(threshold === undefined ? {} : { thresholds: { related: threshold, duplicate: Math.max(threshold, 0.45) } });
  const extractor = new TermExtractor();
  const started = Date.now();
  issues.forEach((issue, i) => {
    index.upsert(extractor.extract(issue));
    if (issues.length >= PROGRESS_FROM && (i + 1) % 5000 === 0) progress(`analysing: ${i + 1} of ${issues.length} issues`);
  });
  if (issues.length >= PROGRESS_FROM) progress(`finding pairs among ${issues.length} issues…`);
  // The projects the file's issue keys name: an issue key of one of them is a mark.
  const projectKeys = new Set(issues.flatMap((i) => (i.key && /^[A-Z][A-Z0-9_]+-\d+$/.test(i.key) ? [i.key.slice(0, i.key.lastIndexOf('-'))] : [])));
  const pairs = withWorkTiers(index.allPairs(), (id) => byId.get(id)?.summary, projectKeys);
  if (issues.length >= PROGRESS_FROM) progress(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  const { duplicate, related } = index.config.thresholds;
  const clusters = buildClusters(pairs, { tier: 'duplicate' });
  const hasLinks = issues.some((i) => i.duplicateLinks !== undefined);
  const linked = linkedPairs(issues);
  const isLinked = (p: ScoredPair): boolean => linked.has(pairKey(p.a, p.b));
  console.log(`${issues.length} issues; ${pairs.length} pairs at or above ${related} (${pairs.filter((p) => p.tier === 'duplicate').length} at or above the duplicate threshold ${duplicate})`);
  if (hasLinks) {
    const found = pairs.filter(isLinked).length;
    console.log(`Jira links ${linked.size} ${linked.size === 1 ? 'pair' : 'pairs'} of these issues as duplicates: ${found} found here (marked "linked in Jira"), ${linked.size - found} not found`);
  }
  console.log(`\n${clusters.length} duplicate clusters${clusters.length > top ? ` (largest ${top} shown)` : ''}:`);
  for (const c of clusters.slice(0, top)) {
    const rep = byId.get(c.representative);
    console.log(`  ${label(rep, c.representative)} "${rep?.summary ?? ''}" + ${c.members.length - 1} more (max ${c.maxScore.toFixed(2)}): ` + c.members.filter((m) => m !== c.representative).map((m) => label(byId.get(m), m)).join(', '));
  }
  // Shared terms as the issues wrote them: looked up in the two summaries, then (for terms
  // only the descriptions hold) in the descriptions' first DESCRIPTION_LOOKUP characters.
  const sharedTerms = (p: ScoredPair): Array<{ word: string; share: number }> => {
    // More terms than shown: an identifier and its parts ("PayPal": paypal, pay, pal) become one word below.
    const terms = index.explain(p.a, p.b, 15).terms;
    const a = byId.get(p.a);
    const b = byId.get(p.b);
    const forms = surfaceForms(`${a?.summary ?? ''} ${b?.summary ?? ''}`, terms.map((t) => t.term));
    const missing = terms.map((t) => t.term).filter((t) => !forms.has(t));
    if (missing.length > 0) {
      const text = [a, b].map((i) => (typeof i?.description === 'string' ? i.description.slice(0, DESCRIPTION_LOOKUP) : '')).join('\n');
      for (const [term, form] of surfaceForms(text, missing)) forms.set(term, form);
    }
    // Chinese, Japanese and Korean character pairs that run on in both summaries as the text they make up, as the app shows them.
    const named = joinCharacterPairs(terms.map((t) => ({ term: forms.get(t.term) ?? t.term, share: t.share })), a?.summary ?? '', b?.summary ?? '');
    return mergeParts(named.map((t) => ({ word: t.term, share: t.share }))).slice(0, 5);
  };
  const shared = (p: ScoredPair): string => sharedTerms(p).map((t) => `${t.word} ${Math.round(t.share * 100)}%`).join(', ');
  console.log(`\nstrongest pairs${pairs.length > top ? ` (top ${top} of ${pairs.length})` : ''}:`);
  for (const p of pairs.slice(0, top)) {
    console.log(`  ${p.score.toFixed(2)} ${p.tier.padEnd(9)} ${label(byId.get(p.a), p.a)} "${byId.get(p.a)?.summary ?? ''}"${isLinked(p) ? ' (linked in Jira)' : ''}`);
    console.log(`  ${' '.repeat(14)} ${label(byId.get(p.b), p.b)} "${byId.get(p.b)?.summary ?? ''}"`);
    console.log(`  ${' '.repeat(14)} shared: ${shared(p)}`);
  }

  if (out) {
    const columns = ['id_a', 'key_a', 'id_b', 'key_b', 'score', 'tier', 'shared_terms', 'other_work'];
    const lines = [csvLine(hasLinks ? [...columns, 'linked_in_jira'] : columns)];
    for (const p of pairs) {
      const terms = sharedTerms(p).map((t) => t.word).join('; ');
      const a = byId.get(p.a);
      const b = byId.get(p.b);
      // Only where it is why the pair is related: below the duplicate threshold the score says so.
      const note = p.tier === 'related' && p.score >= duplicate ? (otherWorkNote(a?.summary ?? '', b?.summary ?? '', projectKeys) ?? '') : '';
      const cells = [p.a, a?.key ?? '', p.b, b?.key ?? '', p.score.toFixed(4), p.tier, terms, note];
      lines.push(csvLine(hasLinks ? [...cells, isLinked(p) ? 'yes' : ''] : cells));
    }
    writeFileSync(out, lines.join('\n') + '\n');
    console.log(`\nwrote ${pairs.length} pairs to ${out}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError || err instanceof InputFormatError) {
    console.error(`analyze: ${err.message}`);
    if (err instanceof UsageError) console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  console.error(`analyze: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
