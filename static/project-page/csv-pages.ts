/**
 * The pages of `export.csv` joined into one file that lists each pair once. A pair can come
 * twice in one export: its sort key moved while the pages were read, and the export lists the
 * pairs that moved again after its keyset pages (docs/resolvers.md). Its row is kept where it
 * first came, with the cells of the last page that listed it. Records are told apart as the
 * server writes them (RFC 4180: CRLF ends a record unless inside quotes); a record's first
 * cell is the pair's id.
 */

/** The records of a page's CSV text, each with its line end. */
export function csvRecords(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    // A doubled quote inside a quoted cell turns `quoted` off and on again: no harm.
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** A record's first cell, unquoted. */
export function firstCell(record: string): string {
  if (!record.startsWith('"')) {
    const end = record.search(/[,\r\n]/);
    return end === -1 ? record : record.slice(0, end);
  }
  let cell = '';
  for (let i = 1; i < record.length; i++) {
    if (record[i] !== '"') cell += record[i];
    else if (record[i + 1] === '"') {
      cell += '"';
      i++;
    } else break;
  }
  return cell;
}

export interface CsvPages {
  /** Adds a page; the first page's first record is the header. */
  add(csv: string): void;
  /** Pairs in the file so far. */
  readonly rows: number;
  /** The file's text, header first, in pieces (for a Blob). */
  parts(): string[];
}

export function csvPages(): CsvPages {
  const records: string[] = [];
  const place = new Map<string, number>();
  let pages = 0;
  return {
    add(csv) {
      const page = csvRecords(csv);
      if (pages++ === 0 && page.length > 0) records.push(page.shift() ?? '');
      for (const record of page) {
        const id = firstCell(record);
        const at = place.get(id);
        if (at === undefined) {
          place.set(id, records.length);
          records.push(record);
        } else records[at] = record;
      }
    },
    get rows() {
      return place.size;
    },
    parts() {
      return [...records];
    },
  };
}
