/** The Charts tab's sentence on why pairs were dismissed. */
import { dismissReasonsSentence } from '../../static/project-page/reason-summary';

describe('why pairs were dismissed, in a sentence', () => {
  const none = { different: 0, related: 0, split: 0 };
  it('says nothing when nothing is dismissed, and how to give a reason when none is given', () => {
    expect(dismissReasonsSentence(0, none)).toBeNull();
    expect(dismissReasonsSentence(34, none)).toBe('Of the 34 dismissed pairs, none has a reason given: "Why?" after a dismissal records one.');
  });
  it('lists the reasons given, and how many of the dismissed pairs have one', () => {
    expect(dismissReasonsSentence(34, { different: 12, related: 5, split: 3 })).toBe(
      'Of the 34 dismissed pairs, people said why for 20: 12 not the same problem; 5 related, but separate work; 3 split on purpose.',
    );
    expect(dismissReasonsSentence(1, { ...none, split: 1 })).toBe('The one dismissed pair was dismissed as split on purpose.');
    expect(dismissReasonsSentence(1, none)).toBe('The one dismissed pair has no reason given: "Why?" after a dismissal records one.');
    expect(dismissReasonsSentence(2, { ...none, related: 1, different: 1 })).toBe('Of the 2 dismissed pairs, people said why for both: 1 not the same problem; 1 related, but separate work.');
    expect(dismissReasonsSentence(1200, { ...none, different: 1100 })).toBe('Of the 1,200 dismissed pairs, people said why for 1,100: 1,100 not the same problem.');
  });
});
