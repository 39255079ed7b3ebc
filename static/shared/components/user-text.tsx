import { displayText } from '../format';

/**
 * Text people wrote (a display name, an issue summary, an issue type's or a project's name)
 * inside a sentence or a label of the app's: cleaned of invisible and direction controls, cut
 * to `max` characters, and isolated in a `<bdi>` (laid out in its own direction, as one unit),
 * so an Arabic or Hebrew name cannot carry the words, numbers and brackets around it to its
 * side: "Dismissed by דנה 3 minutes ago" keeps its order. A plain string (an aria-label, a
 * tooltip, a flag) takes `isolate` (src/shared/bidi.ts) instead.
 */
export function UserText({ text, max = 60, testId }: { text: string; max?: number; testId?: string }) {
  return (
    <bdi className="dd-user-text" data-testid={testId}>
      {displayText(text, max)}
    </bdi>
  );
}
