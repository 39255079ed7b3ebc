/** A summary shown beside others: the create dialog's warning (60 characters) and the queue's rows (120). */
import { shownFrom, shownSummary } from '../../static/shared/shown-summary';

const codePoints = (text: string): number => Array.from(text).length;

describe('shownSummary in a row of 120 characters', () => {
  const opening = 'NameNode crashes with OutOfMemoryError when the edit log is replayed after an unclean shutdown of the standby NameNode in HA mode';
  const journal = `${opening} while the shared journal is on NFS and the JournalNodes are down`;
  const checkpoint = `${opening} during a rolling upgrade with checkpointing switched off`;

  it('shows two summaries alike past the cut from shortly before they part, each with what is its own', () => {
    // Cut at the row's width, both would read the same.
    expect(journal.slice(0, 119)).toBe(checkpoint.slice(0, 119));
    const a = shownSummary(journal, [checkpoint], 120);
    const b = shownSummary(checkpoint, [journal], 120);
    expect(a).toBe('…NameNode in HA mode while the shared journal is on NFS and the JournalNodes are down');
    expect(b).toBe('…NameNode in HA mode during a rolling upgrade with checkpointing switched off');
    expect(codePoints(a)).toBeLessThanOrEqual(120);
    // Where the part shown starts, for a page that marks words in it (the issue panel's 160).
    const from = shownFrom(`  ${journal}`, [checkpoint], 120);
    expect(`…${journal.slice(from)}`).toBe(a);
    expect(shownFrom(journal, [], 120)).toBe(0);
  });

  it('starts at the start when the two part early enough for the difference to show', () => {
    const other = 'NameNode crashes with OutOfMemoryError when the edit log is replayed on a cluster with a billion small files in one directory';
    const own = `${opening} while the shared journal is on NFS`;
    expect(shownSummary(own, [other], 120)).toBe(`${own.slice(0, 119).trimEnd()}…`);
    // A summary short enough is shown whole, whatever the other.
    const short = 'NameNode crashes with OutOfMemoryError when the edit log is replayed after an unclean shutdown';
    expect(shownSummary(short, [journal], 120)).toBe(short);
    // Alone, or beside itself, it is cut at the row's width.
    expect(shownSummary(journal, [], 120)).toBe(`${journal.slice(0, 119).trimEnd()}…`);
    expect(shownSummary(journal, [journal], 120)).toBe(`${journal.slice(0, 119).trimEnd()}…`);
  });

  it('starts inside a long word rather than far before the parting point', () => {
    const base = 'Flaky test org.apache.hadoop.fs.azurebfs.services.TestAbfsListStatusRemoteIteratorTestWithAbfsIteratorDisabledWithoutHasNextCallsAndRetries';
    const a = shownSummary(`${base}OnWindows fails`, [`${base}OnLinux fails`], 120);
    const b = shownSummary(`${base}OnLinux fails`, [`${base}OnWindows fails`], 120);
    expect(a).toBe('…allsAndRetriesOnWindows fails');
    expect(b).toBe('…allsAndRetriesOnLinux fails');
  });

  it('never starts between the halves of a character outside the Basic Multilingual Plane', () => {
    const emoji = '😀'.repeat(70);
    const a = shownSummary(`${emoji} red`, [`${emoji} blue`], 120);
    expect(a.startsWith('…😀')).toBe(true);
    expect(a.endsWith(' red')).toBe(true);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u.test(a)).toBe(false);
  });
});
