import { InputFormatError, parseCreated, type IssueRecord } from './issue-record';

function strings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is string => typeof v === 'string');
}

/** One issue a line: `id, summary, description, created`, optional `key, type, labels, components`. */
export function parseIssuesJsonl(text: string, source = 'input'): IssueRecord[] {
  const out: IssueRecord[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim().length === 0) return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new InputFormatError(`${source} line ${i + 1}: not JSON (expected one issue object a line)`);
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new InputFormatError(`${source} line ${i + 1}: expected a JSON object`);
    }
    const r = row as Record<string, unknown>;
    const id = typeof r['id'] === 'string' || typeof r['id'] === 'number' ? String(r['id']) : '';
    if (id.length === 0) throw new InputFormatError(`${source} line ${i + 1}: missing "id"`);
    const created = typeof r['created'] === 'string' ? r['created'] : '';
    const record: IssueRecord = {
      id,
      summary: typeof r['summary'] === 'string' ? r['summary'] : '',
      description: r['description'] ?? null,
      created,
      createdMs: created ? parseCreated(created) : NaN,
    };
    if (typeof r['key'] === 'string') record.key = r['key'];
    if (typeof r['type'] === 'string') record.type = r['type'];
    const labels = strings(r['labels']);
    if (labels) record.labels = labels;
    const components = strings(r['components']);
    if (components) record.components = components;
    out.push(record);
  });
  return out;
}
