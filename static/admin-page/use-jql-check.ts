/** Checks the JQL filter with Jira (through the resolver) and remembers the last answer. */
import { useCallback, useRef, useState } from 'react';
import { call } from '../shared/api';

export type JqlCheck =
  | { state: 'idle' | 'checking' }
  /**
   * `counts`: about how many issues of the form's scope the filter keeps, of how many (when
   * asked with a scope and Jira could count); `countedFor`: that scope (`scopeKey`).
   */
  | { state: 'valid'; counts?: { kept: number; of: number } | null; countedFor?: string }
  | { state: 'invalid'; message: string }
  | { state: 'unavailable'; message: string };

/** What the filter narrows: the form's projects, issue types and age limit. */
export interface JqlScope {
  projects: string[];
  issueTypes: string[];
  maxAgeDays: number;
}

/** A scope as one string, to tell which scope a count is of; '' for none (no project). */
export function scopeKey(scope: JqlScope | undefined): string {
  return scope === undefined || scope.projects.length === 0 ? '' : JSON.stringify(scope);
}

/** A check's verdict, and whether it is still the latest asked for (no newer check or reset since). */
export interface JqlAnswer {
  verdict: JqlCheck;
  latest: boolean;
}

export function useJqlCheck() {
  const [check, setCheck] = useState<JqlCheck>({ state: 'idle' });
  const lastChecked = useRef<{ jql: string; scope: string; result: JqlCheck } | null>(null);
  /** Counts the checks asked for and the resets: an answer is shown only when none came after its question. */
  const asked = useRef(0);

  /**
   * Resolves to the verdict; an empty filter is always valid. With `scope`, a valid verdict
   * also says how many issues the filter keeps. Repeats are answered from memory (a check
   * without a scope is answered by one made with any). An answer that arrives after a newer
   * check was asked for (or a reset) is not shown: it may be of another scope or text.
   */
  const run = useCallback(async (jql: string, scope?: JqlScope): Promise<JqlAnswer> => {
    const ticket = ++asked.current;
    const text = jql.trim();
    if (text === '') {
      setCheck({ state: 'idle' });
      return { verdict: { state: 'valid' }, latest: true };
    }
    const key = scopeKey(scope);
    const last = lastChecked.current;
    if (last !== null && last.jql === text && (key === '' || last.scope === key || last.result.state === 'invalid')) {
      setCheck(last.result);
      return { verdict: last.result, latest: true };
    }
    setCheck({ state: 'checking' });
    const res = await call('settings.validateJql', key === '' || scope === undefined ? { jql: text } : { jql: text, scope });
    let result: JqlCheck;
    if (!res.success) result = { state: 'unavailable', message: res.error.message };
    else if (res.data.valid) result = { state: 'valid', counts: res.data.counts ?? null, countedFor: key };
    else result = { state: 'invalid', message: res.data.errors.join(' ') || 'Jira did not accept this JQL.' };
    const latest = asked.current === ticket;
    // What Jira said is true of this text and scope even when it is no longer shown, but the
    // memory keeps the latest answer: a check without a scope takes its counts as they are.
    if (latest) {
      if (result.state !== 'unavailable') lastChecked.current = { jql: text, scope: key, result };
      setCheck(result);
    }
    return { verdict: result, latest };
  }, []);

  const reset = useCallback(() => {
    asked.current++;
    setCheck({ state: 'idle' });
  }, []);
  return { check, run, reset };
}
