/**
 * Scores as the command-line report and the app's CSV export print them: cut off, never
 * rounded up, so that a printed score reaches a threshold exactly when the score does.
 * Rounded, 0.99996 would print as 1.0000 on a pair that `--threshold 1` leaves out.
 */

/** Places a threshold needs to be written exactly (at most 12: 1e-13 is no score). */
export function placesOf(threshold: number): number {
  for (let places = 0; places < 12; places++) if (Number(threshold.toFixed(places)) === threshold) return places;
  return 12;
}

/**
 * The score with `places` decimals, cut off: the largest such decimal whose value (as
 * Number reads it back, as a threshold typed with those decimals is read) is at most the
 * score. 0.99996 → "0.9999", 1 → "1.0000", 0.29 → "0.29" (not "0.28", as
 * Math.floor(0.29 * 100) / 100 would have it).
 */
export function scoreText(score: number, places: number): string {
  if (!Number.isFinite(score)) return String(score);
  const scale = 10 ** places;
  const text = (n: number): string => (n / scale).toFixed(places);
  let n = Math.floor(score * scale);
  // The product is off by a unit in the last place at times: correct it either way.
  while (Number(text(n)) > score) n--;
  while (Number(text(n + 1)) <= score) n++;
  return text(n);
}

/**
 * Places to print scores with: at least `least`, and as many as the thresholds have, so a
 * pair kept at --threshold 0.995 never prints as 0.99.
 */
export function scorePlaces(least: number, thresholds: readonly number[]): number {
  return Math.max(least, ...thresholds.map(placesOf));
}
