import { SimilarityIndex, type DocTerms } from './src/engine';
const docs = [{"id":"i0","fields":{"summary":[["namenod",2],["retri",1]]}},{"id":"i1","fields":{"summary":[["timeout",1]]}},{"id":"i2","fields":{"summary":[["file",1],["filesystem",1],["prototyp",1],["retri",1],["system",1]],"description":[["3.3",1],["3.3.1",1],["hadoop",1],["hadoop-3.3.1",1]],"labels":[["perf",2]]}}] as unknown as DocTerms[];
const idx = new SimilarityIndex({ maxPostingsPerTerm: 2 ** 31, maxCandidates: 2 ** 31 });
for (const d of docs) idx.upsert(d);
for (const a of docs) {
  console.log(a.id, JSON.stringify(idx.neighbours(a.id, 4, { minScore: 0.1 })), docs.map((b) => idx.explain(a.id, b.id).score));
}
const snap = (idx as unknown as { snapshot(): { ids: string[]; vectorOf(s: number): { features: Uint32Array; weights: Float32Array }; maxWeight(f: number): number; postStart: Uint32Array; postDoc: Uint32Array; postW: Float32Array; effective: Float64Array } }).snapshot();
for (let s = 0; s < 3; s++) { const v = snap.vectorOf(s); console.log(snap.ids[s], Array.from(v.features), Array.from(v.weights), snap.effective[s]); }
const v0 = snap.vectorOf(0);
for (const f of v0.features) console.log('list', f, Array.from(snap.postDoc.subarray(snap.postStart[f], snap.postStart[f + 1])), Array.from(snap.postW.subarray(snap.postStart[f], snap.postStart[f + 1])));
