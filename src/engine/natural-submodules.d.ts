// natural ships one index.d.ts for its whole package; these submodules are imported
// directly (its index pulls in database clients and prints banners), so they need
// their own declarations.
declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  const PorterStemmer: { stem(token: string): string };
  export = PorterStemmer;
}

declare module 'natural/lib/natural/tfidf/tfidf' {
  class TfIdf {
    constructor();
    addDocument(document: string | string[], key?: string): void;
    tfidfs(terms: string | string[], callback?: (index: number, measure: number, key?: string) => void): number[];
  }
  export = TfIdf;
}
