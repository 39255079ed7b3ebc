/**
 * Nothing is lost when the process dies mid-analysis. A child process (fixtures/
 * analysis-child.ts: LocalForge with a persisted queue on a fixed database, plus the Jira
 * stand-in with the 2,503-issue dev set) analyses everything once and records two
 * confirmations and three dismissals; a second child starts another full analysis and is
 * SIGKILLed while it fetches; a third reopens the same database. The run must either finish
 * from the persisted events or be failed as stale and restartable, and in the end: no
 * duplicate rows, every decision still there, and the same pairs as the clean run.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { LocalForge } from '../../sandbox/runtime';

const CHILD = join(__dirname, 'fixtures', 'analysis-child.ts');
const DATABASE = `hardening_kill_${process.pid}`;
const APP_ROOT = join(__dirname, '..', '..');

type Json = Record<string, unknown>;

interface ChildRun {
  lines: Json[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the child; `killWhen` sees each JSON line and may ask for a SIGKILL. */
function child(mode: string, killWhen?: (line: Json) => boolean, timeoutMs = 600_000): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, mode, DATABASE], { cwd: APP_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Json[] = [];
    let buffer = '';
    let stderr = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${mode} child did not finish within ${timeoutMs} ms; stderr tail: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const text = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (text.trim() === '') continue;
        const line = JSON.parse(text) as Json;
        lines.push(line);
        if (killWhen?.(line)) proc.kill('SIGKILL');
      }
    });
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-20_000);
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ lines, code, signal, stderr });
    });
  });
}

const last = (run: ChildRun): Json => run.lines[run.lines.length - 1] ?? {};

afterAll(async () => {
  // The resume child drops the database; this covers a test that failed before it ran.
  await LocalForge.drop(DATABASE);
});

it('SIGKILL mid-analysis: the run resumes or is failed and restarted; no duplicates, decisions kept, pairs equal a clean run', async () => {
  const prepared = await child('prepare');
  expect({ code: prepared.code, stderr: prepared.code === 0 ? '' : prepared.stderr.slice(-3000) }).toEqual({ code: 0, stderr: '' });
  const { clean, decisions } = last(prepared) as { clean: string[]; decisions: Record<string, string> };
  expect(clean.length).toBeGreaterThan(100);
  expect(Object.keys(decisions)).toHaveLength(5);

  let killedAt: Json | null = null;
  let missed: Json | null = null;
  const killed = await child('run', (line) => {
    const counters = line['counters'] as { fetched?: number } | null | undefined;
    // Mid-fetch by preference; mid-scoring if the fetch went by between two polls.
    if ((line['progress'] === 'fetching' && (counters?.fetched ?? 0) >= 500) || line['progress'] === 'scoring') {
      killedAt = line;
      return true;
    }
    if (line['progress'] === 'done') {
      missed = line; // finished between two polls: stop it, and fail below
      return true;
    }
    return false;
  });
  expect(killed.signal).toBe('SIGKILL');
  expect(missed).toBeNull();
  expect(killedAt).not.toBeNull();

  const resumed = await child('resume');
  expect({ code: resumed.code, stderr: resumed.code === 0 ? '' : resumed.stderr.slice(-3000) }).toEqual({ code: 0, stderr: '' });
  const end = last(resumed) as {
    afterRestart: { current: Json | null; last: Json | null };
    afterStale: { current: Json | null; last: Json | null };
    stale: string[];
    restartedRunId: string | null;
    last: Json | null;
    current: Json | null;
    duplicatePairs: unknown[];
    duplicateDocs: unknown[];
    decided: Array<{ id: string; status: string; decided_by: string }>;
    final: string[];
    queue: { pending: number; failed: number };
  };
  console.warn(`process-kill: killed at ${JSON.stringify(killedAt)}; after restart ${JSON.stringify(end.afterRestart.current?.['status'] ?? end.afterRestart.last?.['status'])}; stale ${end.stale.length}; restarted ${end.restartedRunId ?? 'no'}`);

  // Either the persisted events finished the run, or it was failed with a sentence and restarted.
  if (end.stale.length > 0) {
    expect(end.afterStale.last?.['status']).toBe('failed');
    expect(String(end.afterStale.last?.['error'])).toMatch(/stopped making progress.*Start it again/);
    expect(end.restartedRunId).not.toBeNull();
  }
  expect(end.current).toBeNull();
  expect(end.last?.['status']).toBe('done');
  expect(end.queue.pending).toBe(0);

  expect(end.duplicatePairs).toEqual([]);
  expect(end.duplicateDocs).toEqual([]);
  expect(Object.fromEntries(end.decided.map((d) => [d.id, d.status]))).toEqual(decisions);
  for (const d of end.decided) expect(d.decided_by).toBe('admin-1');
  expect(end.final).toEqual(clean);
}, 900_000);
