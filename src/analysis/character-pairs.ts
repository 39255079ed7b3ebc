/**
 * Chinese and Japanese are written without spaces, so the engine indexes them by character
 * pairs ("礼品卡" gives 礼品 and 品卡; Korean words too). Named one by one, the pairs of one
 * phrase two summaries share read as fragments, some of them no word at all (安全验证 gives
 * 安全, 全验 and 验证). Pairs that follow one another in both summaries are shown as the
 * stretch of text they make up, with their shares added up.
 */
import { CJK_SCRIPTS, PROLONGED_SOUND_MARKS } from '../engine';
import type { SharedTerm } from '../shared/contract';

const SCRIPT = CJK_SCRIPTS;
/** Inside a run, after its first character, the prolonged sound mark (サーバー) is part of the word. */
const IN_RUN = `${CJK_SCRIPTS}${PROLONGED_SOUND_MARKS}`;
/** A pair the engine makes of a run: サー and ーバ of サーバー too, not ーー alone. */
const CHARACTER_PAIR = new RegExp(`^(?:[${SCRIPT}][${IN_RUN}]|[${PROLONGED_SOUND_MARKS}][${SCRIPT}])$`, 'u');
const RUN = new RegExp(`[${SCRIPT}][${IN_RUN}]{2,}`, 'gu');
/**
 * The longest stretch shown, in characters: a reason is a few words, and the stored reasons
 * keep 48 UTF-16 units of each (20 characters fit even outside the Basic Multilingual Plane).
 */
const MAX_STRETCH = 20;

interface Stretch {
  text: string;
  pairs: string[];
  at: number;
}

/**
 * The stretches of `a` made of two or more shared pairs in a row that `b` also holds whole,
 * longest first, then in the order `a` has them.
 */
function stretches(shared: ReadonlyMap<string, number>, a: string, b: string): Stretch[] {
  const found: Stretch[] = [];
  for (const m of a.matchAll(RUN)) {
    const chars = [...m[0]];
    let i = 0;
    while (i + 1 < chars.length) {
      const first = `${chars[i] ?? ''}${chars[i + 1] ?? ''}`;
      if (!shared.has(first) || !b.includes(first)) {
        i++;
        continue;
      }
      const pairs = [first];
      let end = i + 2; // chars[i .. end) is the stretch so far
      while (end < chars.length && end - i < MAX_STRETCH) {
        const next = `${chars[end - 1] ?? ''}${chars[end] ?? ''}`;
        if (!shared.has(next) || !b.includes(chars.slice(i, end + 1).join(''))) break;
        pairs.push(next);
        end++;
      }
      if (pairs.length > 1) found.push({ text: chars.slice(i, end).join(''), pairs, at: (m.index ?? 0) + i });
      // The pair that ended the stretch may begin the next one.
      i = end - 1;
    }
  }
  return found.sort((x, y) => y.pairs.length - x.pairs.length || x.at - y.at);
}

/**
 * `reasons` with the character pairs that run on in both summaries joined into the text
 * they make up; every other reason as it was. A pair goes into one stretch at most.
 */
export function joinCharacterPairs(reasons: readonly SharedTerm[], a: string, b: string): SharedTerm[] {
  const shared = new Map<string, number>();
  for (const r of reasons) if (CHARACTER_PAIR.test(r.term)) shared.set(r.term, (shared.get(r.term) ?? 0) + r.share);
  if (shared.size < 2) return [...reasons];
  const joined: SharedTerm[] = [];
  const used = new Set<string>();
  for (const s of stretches(shared, a, b)) {
    const own = s.pairs.filter((p, k) => !used.has(p) && s.pairs.indexOf(p) === k);
    // A stretch whose pairs went to a longer one before would only repeat part of it.
    if (own.length < 2) continue;
    let share = 0;
    for (const p of own) {
      share += shared.get(p) ?? 0;
      used.add(p);
    }
    joined.push({ term: s.text, share });
  }
  if (joined.length === 0) return [...reasons];
  return [...reasons.filter((r) => !used.has(r.term)), ...joined];
}
