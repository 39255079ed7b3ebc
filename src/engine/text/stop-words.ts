/**
 * English function words that carry no topic. Kept short on purpose: IDF already
 * discounts frequent words, and domain words ("file", "error") can matter.
 * Entries are compared after lower-casing and before stemming.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being ' +
    'below between both but by can cannot could did do does doing don done down during each either etc ' +
    'few for from further had has have having he her here hers herself him himself his how however i ie ' +
    'if in into is isn it its itself just let me more most my myself no nor not now of off on once only or ' +
    'other our ours ourselves out over own same she should so some such than that the their theirs them ' +
    'themselves then there these they this those through thus to too under until up upon us very via was ' +
    'we were what when where which while who whom why will with within without would yet you your yours ' +
    'yourself yourselves eg e.g i.e doesn didn wasn aren weren won wouldn couldn shouldn hasn haven ll ve re'
  ).split(' '),
);
