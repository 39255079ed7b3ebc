/**
 * The opening and closing every browser test file had written out: one app session for the
 * `describe` block it is called in, opened in a `beforeAll` and closed in an `afterAll`.
 */
import type { SandboxOptions } from '../../../sandbox/start';
import { openAppSession, type AppSession } from './app-session';

/** The session of a `describe` block: closed by the block itself, so no `close` here. */
export type BlockSession = Omit<AppSession, 'close'>;

export interface UseAppSessionOptions {
  /** The time the opening may take (it builds the surfaces when stale); 240 s unless told. */
  openTimeoutMs?: number;
  /** Runs before the session closes (an `afterAll` of the file's own would run after it). */
  beforeClose?: (s: BlockSession) => Promise<void> | void;
}

/**
 * Registers, in the calling `describe` block, a `beforeAll` that opens an app session with
 * `sandbox` options and an `afterAll` that closes it, and returns the session as the tests
 * see it. Call it where the block used to declare `let s: AppSession`: hooks the file adds
 * after it run once the session is open (jest runs `beforeAll` and `afterAll` hooks in the
 * order they were written). Used before the session is open, or after its opening failed, it
 * throws saying so.
 */
export function useAppSession(sandbox: SandboxOptions = {}, options: UseAppSessionOptions = {}): BlockSession {
  let session: AppSession | undefined;
  const current = (): AppSession => {
    if (session === undefined) throw new Error('The app session is not open: it opens in beforeAll (did its opening fail?), and only tests and hooks may use it.');
    return session;
  };

  beforeAll(async () => {
    session = await openAppSession(sandbox);
  }, options.openTimeoutMs ?? 240_000);

  afterAll(async () => {
    const open = session;
    if (open === undefined) return;
    try {
      await options.beforeClose?.(open);
    } finally {
      session = undefined;
      await open.close();
    }
  });

  // Read through at each use: the session opens after the tests are collected.
  return new Proxy({} as BlockSession, {
    get: (_target, key): unknown => Reflect.get(current(), key),
  });
}
