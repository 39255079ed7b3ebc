/** The settings snapshot a run was started with (runs.settings), checked on the way out of SQL. */
import type { Settings } from '../shared/contract';
import { keyList } from '../shared/wording';
import { parseStoredSettings } from '../store/settings';
import type { RunRow } from '../store/runs';
import { AnalysisError } from './analysis-error';

export function runSettings(run: RunRow): Settings {
  let raw: unknown;
  try {
    raw = JSON.parse(run.settingsJson);
  } catch {
    raw = undefined;
  }
  const parsed = parseStoredSettings(raw);
  if (!parsed.success) throw new AnalysisError('RUN_FAILED', 'The settings saved with this analysis are unreadable. Start it again.');
  return parsed.data;
}

export function scopeLabel(projects: string[]): string {
  return projects.length === 0 ? 'no project' : keyList(projects);
}
