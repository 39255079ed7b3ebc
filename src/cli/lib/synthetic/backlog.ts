import type { IssueRecord } from '../issue-record';
import { pitmanYorDraw, Random, WeightedSampler } from './random';
import type { TermStats } from './term-stats';

/**
 * A synthetic backlog that grows like a real one:
 * - words drawn from real term statistics (the dev set) or a built-in Zipf list;
 * - topics arrive by a Pitman-Yor process (popular areas get more issues, new areas keep
 *   appearing), each with its own component, package, words and identifiers;
 * - a topic's vocabulary grows with the topic, by a Pitman-Yor process of its own: an
 *   issue mostly reuses the area's established words and now and then brings a new one
 *   (an area of 5,000 issues speaks of more things than one of 50);
 * - a topic's identifiers (class names, hosts, versions) turn over: each issue may bring a
 *   new one, and issues mention the area's latest few, as a real class or host is talked
 *   about for a while and then replaced;
 * - fresh identifiers, hosts and versions keep coming, at a rate that falls as the
 *   backlog grows (Heaps' law: vocabulary ~ K n^beta), so the vocabulary never saturates;
 * - planted near-duplicates: reworded and reordered summaries, partly shared descriptions.
 *
 * The settings were chosen so that the backlog's similar pairs look like the dev set's
 * (docs/engine.md, "Ninth session"): pairs at or above the related threshold per issue at
 * 312, 625, 1,250 and 2,503 issues within 10 % of the dev set's prefixes in creation order,
 * the same distribution of their scores, pairs closer in time than random pairs as in the
 * dev set, and pairs carried by an area's words rather than by one identifier.
 */
export interface BacklogOptions {
  n: number;
  seed: number;
  /** Share of issues that are planted duplicates of an earlier one. */
  duplicateRate: number;
}

export interface Backlog {
  issues: IssueRecord[];
  /** Planted duplicate pairs (earlier id, later id). */
  pairs: Array<[string, string]>;
}

const TOPIC_CONCENTRATION = 10; // Pitman-Yor concentration of areas
const TOPIC_DISCOUNT = 0.6; // Pitman-Yor discount: ~n^0.6 areas
const WORD_CONCENTRATION = 2; // Pitman-Yor concentration of an area's words
const WORD_DISCOUNT = 0.5; // ...and discount: an area's words grow as the square root of its draws
const ISSUE_ASPECTS = 8; // area words one issue draws on
const FIRST_IDENTIFIERS = 2; // identifiers an area starts with
const IDENTIFIER_TURNOVER = 0.3; // chance that an issue brings its area a new identifier
const IDENTIFIER_WINDOW = 6; // the latest identifiers of an area that issues mention
const SENTENCE_IDENTIFIER = 0.05; // share of description words that are area identifiers
const SENTENCE_TOPIC_WORD = 0.45; // ...and, of the rest, that are area words
const SUMMARY_TOPIC_SLOT = 0.4; // share of summary words (after the first) from the area
const SUMMARY_IDENTIFIER = 0.25; // ...of which identifiers rather than words
const HEAPS_RATE = 3; // fresh identifiers per issue at the start
const HEAPS_DECAY = 0.4; // 1 - beta
const SUFFIXES = ['Manager', 'Service', 'Handler', 'Client', 'Reader', 'Writer', 'Factory', 'Provider', 'Impl', 'Util'];
const METHODS = ['open', 'close', 'read', 'write', 'run', 'call', 'process', 'handle', 'init', 'apply', 'get', 'put'];
const LEVELS = ['INFO', 'WARN', 'ERROR', 'DEBUG'];

interface Topic {
  words: string[];
  wordCounts: number[];
  wordTotal: number;
  identifiers: string[];
  pkg: string;
  component: string;
}

function capitalise(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
}

export function generateBacklog(stats: TermStats, opts: BacklogOptions): Backlog {
  const rng = new Random(opts.seed);
  const summaryWords = new WeightedSampler(stats.summary.words, stats.summary.weights);
  const descWords = new WeightedSampler(stats.description.words, stats.description.weights);
  // Topic words favour the middle of the frequency range: specific, but not unique.
  const topicWords = new WeightedSampler(
    stats.description.words,
    stats.description.weights.map((w) => Math.sqrt(w)),
  );
  const alpha = (w: string): boolean => /^[A-Za-z]{3,}$/.test(w);
  let freshCounter = 0;

  const freshIdentifier = (): string => {
    freshCounter++;
    const kind = rng.int(0, 5);
    const a = capitalise(pickAlpha(topicWords));
    const b = capitalise(pickAlpha(topicWords));
    switch (kind) {
      case 0:
        return `${a}${b}${rng.pick(SUFFIXES)}`;
      case 1:
        return `${a.toLowerCase()}-${rng.int(1, 99)}.${b.toLowerCase()}${freshCounter}.internal`;
      case 2:
        return `${rng.int(1, 9)}.${rng.int(0, 30)}.${freshCounter % 100}`;
      case 3:
        return `${a.toUpperCase().slice(0, 3)}${freshCounter}`;
      case 4:
        return `${a.toLowerCase()}_${b.toLowerCase()}_${freshCounter}`;
      default:
        return `${a}${b}${freshCounter}`;
    }
  };
  function pickAlpha(sampler: WeightedSampler): string {
    for (let i = 0; i < 20; i++) {
      const w = sampler.draw(rng);
      if (alpha(w)) return w;
    }
    return 'data';
  }

  const topics: Topic[] = [];
  const topicSizes: number[] = [];
  const newTopic = (): Topic => ({
    words: [],
    wordCounts: [],
    wordTotal: 0,
    identifiers: Array.from({ length: FIRST_IDENTIFIERS }, freshIdentifier),
    pkg: `org.example.${pickAlpha(topicWords).toLowerCase()}.${pickAlpha(topicWords).toLowerCase()}`,
    component: pickAlpha(topicWords).toLowerCase(),
  });
  // Pitman-Yor: popular areas attract more issues, yet new areas keep opening (their
  // number grows like n^discount), so no single topic swallows a large backlog.
  const chooseTopic = (i: number): number => {
    const t = pitmanYorDraw(rng, topicSizes, i, TOPIC_CONCENTRATION, TOPIC_DISCOUNT);
    if (t >= 0) return t;
    topics.push(newTopic());
    topicSizes.push(0);
    return topics.length - 1;
  };

  const issueTopic: number[] = [];
  const sentencesOf: string[][] = [];
  const issues: IssueRecord[] = [];
  const pairs: Array<[string, string]> = [];
  const start = Date.UTC(2018, 0, 1);

  // Pitman-Yor within the area, as areas themselves are chosen.
  const topicWord = (topic: Topic): string => {
    const j = pitmanYorDraw(rng, topic.wordCounts, topic.wordTotal, WORD_CONCENTRATION, WORD_DISCOUNT);
    topic.wordTotal++;
    if (j < 0) {
      const w = pickAlpha(topicWords).toLowerCase();
      topic.words.push(w);
      topic.wordCounts.push(1);
      return w;
    }
    topic.wordCounts[j] = (topic.wordCounts[j] ?? 0) + 1;
    return topic.words[j] as string;
  };
  /** What one new issue of the area draws on (and what it adds to the area). */
  const aspectsOf = (topic: Topic): Topic => {
    if (rng.chance(IDENTIFIER_TURNOVER)) topic.identifiers.push(freshIdentifier());
    return {
      ...topic,
      words: Array.from({ length: ISSUE_ASPECTS }, () => topicWord(topic)),
      identifiers: topic.identifiers.slice(-IDENTIFIER_WINDOW),
    };
  };
  const sentence = (topic: Topic, fresh: string[]): string => {
    const len = rng.int(6, 18);
    const words: string[] = [];
    for (let k = 0; k < len; k++) {
      if (fresh.length > 0 && rng.chance(0.06)) words.push(rng.pick(fresh));
      else if (rng.chance(SENTENCE_IDENTIFIER)) words.push(rng.pick(topic.identifiers));
      else if (rng.chance(SENTENCE_TOPIC_WORD)) words.push(rng.pick(topic.words));
      else words.push(descWords.draw(rng));
    }
    return capitalise(words.join(' ')) + '.';
  };
  const machineText = (topic: Topic): string => {
    if (rng.chance(0.6)) {
      const cls = rng.pick(topic.identifiers).replace(/[^A-Za-z0-9]/g, '');
      const frames = Array.from({ length: rng.int(3, 8) }, () => {
        const c = rng.chance(0.5) ? cls : capitalise(pickAlpha(topicWords)) + rng.pick(SUFFIXES);
        return `\tat ${topic.pkg}.${c}.${rng.pick(METHODS)}(${c}.java:${rng.int(20, 900)})`;
      });
      return `{code}\njava.io.IOException: ${capitalise(rng.pick(topic.words))} failed\n${frames.join('\n')}\n{code}`;
    }
    const lines = Array.from({ length: rng.int(2, 6) }, () => {
      const t = new Date(start + rng.int(0, 1e9) * 1000).toISOString().replace('T', ' ').slice(0, 23);
      return `${t} ${rng.pick(LEVELS)} ${topic.pkg}.${rng.pick(topic.identifiers)}: ${summaryWords.draw(rng)} ${rng.pick(topic.words)}`;
    });
    return `{noformat}\n${lines.join('\n')}\n{noformat}`;
  };

  for (let i = 0; i < opts.n; i++) {
    const id = String(100000 + i);
    const created = new Date(start + i * 600_000).toISOString();
    const freshMean = HEAPS_RATE * Math.pow(1000 / (i + 1000), HEAPS_DECAY);
    const fresh = Array.from({ length: rng.poisson(freshMean) }, freshIdentifier);
    let t: number;
    let summary: string;
    let sentences: string[];
    let view: Topic;
    const original = i > 50 && rng.chance(opts.duplicateRate) ? rng.int(0, i - 1) : -1;
    if (original >= 0) {
      t = issueTopic[original] ?? 0;
      const topic = topics[t] as Topic;
      view = { ...topic, identifiers: topic.identifiers.slice(-IDENTIFIER_WINDOW) };
      const base = (issues[original]?.summary ?? '').replace(/[.]$/, '').split(' ');
      // Reword: drop or swap about a third of the words, then reorder a little.
      const words = base
        .filter(() => !rng.chance(0.2))
        .map((w) => (rng.chance(0.15) ? rng.pick(topic.words) : w));
      if (words.length > 2 && rng.chance(0.5)) {
        const k = rng.int(0, words.length - 2);
        const a = words[k] as string;
        words[k] = words[k + 1] as string;
        words[k + 1] = a;
      }
      if (rng.chance(0.5)) words.push(summaryWords.draw(rng));
      summary = words.join(' ');
      const kept = (sentencesOf[original] ?? []).filter(() => rng.chance(0.55));
      const added = Array.from({ length: rng.int(1, 3) }, () => sentence(topic, fresh));
      sentences = rng.shuffle([...kept, ...added]);
      pairs.push([String(100000 + original), id]);
    } else {
      t = chooseTopic(i);
      const topic = aspectsOf(topics[t] as Topic);
      view = topic;
      const len = rng.int(4, 10);
      const words: string[] = [];
      for (let k = 0; k < len; k++) {
        if (k < 1 || rng.chance(SUMMARY_TOPIC_SLOT)) words.push(rng.chance(SUMMARY_IDENTIFIER) ? rng.pick(topic.identifiers) : rng.pick(topic.words));
        else if (fresh.length > 0 && rng.chance(0.15)) words.push(rng.pick(fresh));
        else words.push(summaryWords.draw(rng));
      }
      summary = capitalise(rng.shuffle(words).join(' '));
      sentences = Array.from({ length: rng.int(1, 10) }, () => sentence(topic, fresh));
    }
    topicSizes[t] = (topicSizes[t] ?? 0) + 1;
    issueTopic.push(t);
    sentencesOf.push(sentences);
    const machine = rng.chance(0.2) ? '\n\n' + machineText(view) : '';
    issues.push({
      id,
      key: `SYN-${i + 1}`,
      summary,
      description: sentences.join(' ') + machine,
      created,
      createdMs: Date.parse(created),
      type: rng.chance(0.7) ? 'Bug' : rng.pick(['Task', 'Story', 'Improvement']),
      components: [view.component],
    });
  }
  return { issues, pairs };
}
