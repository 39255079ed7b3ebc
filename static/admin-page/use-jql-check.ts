/** Checks the JQL filter with Jira (through the resolver) and remembers the last answer. */
import { useCallback, useRef, useState } from 'react';
import { call } from '../shared/api';

export type JqlCheck =
  | { state: 'idle' | 'checking' }
  /** `counts`: about how many issues of the form's scope the filter keeps, of how many (when asked with a scope and Jira could count). */
  | { state: 'valid'; counts?: { kept: number; of: number } | null }
  | { state: 'invalid'; message: string }
  | { state: 'unavailable'; message: string };

/** What the filter narrows: the form's projects, issue types and age limit. */
export interface JqlScope {
  projects: string[];
  issueTypes: string[];
  maxAgeDays: number;
}

export function useJqlCheck() {
  const [check, setCheck] = useState<JqlCheck>({ state: 'idle' });
  const lastChecked = useRef<{ jql: string; scope: string; result: JqlCheck } | null>(null);

  /**
   * Resolves to the verdict; an empty filter is always valid. With `scope`, a valid verdict
   * also says how many issues the filter keeps. Repeats are answered from memory (a check
   * without a scope is answered by one made with any).
   */
  const run = useCallback(async (jql: string, scope?: JqlScope): Promise<JqlCheck> => {
    const text = jql.trim();
    if (text === '') {
      const ok: JqlCheck = { state: 'valid' };
      setCheck({ state: 'idle' });
      return ok;
    }
    const scopeKey = scope === undefined || scope.projects.length === 0 ? '' : JSON.stringify(scope);
    const last = lastChecked.current;
    if (last !== null && last.jql === text && (scopeKey === '' || last.scope === scopeKey || last.result.state === 'invalid')) {
      setCheck(last.result);
      return last.result;
    }
    setCheck({ state: 'checking' });
    const res = await call('settings.validateJql', scopeKey === '' || scope === undefined ? { jql: text } : { jql: text, scope });
    let result: JqlCheck;
    if (!res.success) result = { state: 'unavailable', message: res.error.message };
    else if (res.data.valid) result = { state: 'valid', counts: res.data.counts ?? null };
    else result = { state: 'invalid', message: res.data.errors.join(' ') || 'Jira did not accept this JQL.' };
    if (result.state !== 'unavailable') lastChecked.current = { jql: text, scope: scopeKey, result };
    setCheck(result);
    return result;
  }, []);

  const reset = useCallback(() => setCheck({ state: 'idle' }), []);
  return { check, run, reset };
}
