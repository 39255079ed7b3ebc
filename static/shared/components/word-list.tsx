import { Fragment } from 'react';
import { displayText } from '../format';

/**
 * Words people wrote, separated by commas, each isolated in its own direction: a list of
 * Arabic or Hebrew words read as one run would come out in reverse order, and a Latin word
 * beside them would take the comma to the wrong side.
 */
export function WordList({ words, max, length = 30 }: { words: readonly string[]; max: number; length?: number }) {
  return (
    <span className="dd-user-text">
      {words.slice(0, max).map((w, i) => (
        <Fragment key={`${i}:${w}`}>
          {i > 0 ? ', ' : null}
          <bdi>{displayText(w, length)}</bdi>
        </Fragment>
      ))}
    </span>
  );
}
