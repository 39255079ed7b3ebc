/** Checks the JQL filter with Jira (through the resolver) and remembers the last answer. */
import { useCallback, useRef, useState } from 'react';
import { call } from '../shared/api';

export type JqlCheck =
  | { state: 'idle' | 'checking' | 'valid' }
  | { state: 'invalid'; message: string }
  | { state: 'unavailable'; message: string };

export function useJqlCheck() {
  const [check, setCheck] = useState<JqlCheck>({ state: 'idle' });
  const lastChecked = useRef<{ jql: string; result: JqlCheck } | null>(null);

  /** Resolves to the verdict; an empty filter is always valid. Repeats are answered from memory. */
  const run = useCallback(async (jql: string): Promise<JqlCheck> => {
    const text = jql.trim();
    if (text === '') {
      const ok: JqlCheck = { state: 'valid' };
      setCheck({ state: 'idle' });
      return ok;
    }
    if (lastChecked.current?.jql === text) {
      setCheck(lastChecked.current.result);
      return lastChecked.current.result;
    }
    setCheck({ state: 'checking' });
    const res = await call('settings.validateJql', { jql: text });
    let result: JqlCheck;
    if (!res.success) result = { state: 'unavailable', message: res.error.message };
    else if (res.data.valid) result = { state: 'valid' };
    else result = { state: 'invalid', message: res.data.errors.join(' ') || 'Jira did not accept this JQL.' };
    if (result.state !== 'unavailable') lastChecked.current = { jql: text, result };
    setCheck(result);
    return result;
  }, []);

  const reset = useCallback(() => setCheck({ state: 'idle' }), []);
  return { check, run, reset };
}
