import { SimilarityIndex, TermExtractor, type EngineConfig } from '../../engine';
import type { IssueRecord } from './issue-record';

/** The engine indexed over a data set, ready to rank for the time-aware protocol. */
export class EngineRanker {
  readonly index: SimilarityIndex;
  private readonly created: Map<string, number>;

  constructor(issues: IssueRecord[], config: Partial<EngineConfig> = {}) {
    this.index = new SimilarityIndex(config);
    const extractor = new TermExtractor();
    for (const issue of issues) this.index.upsert(extractor.extract(issue));
    this.created = new Map(issues.map((i) => [i.id, i.createdMs]));
  }

  /** Issues created strictly before `createdMs`, most similar to `id` first. */
  rankBefore(id: string, createdMs: number, depth: number): string[] {
    return this.index
      .neighbours(id, depth, { minScore: 0, accept: (other) => (this.created.get(other) ?? Infinity) < createdMs })
      .map((n) => n.id);
  }
}
