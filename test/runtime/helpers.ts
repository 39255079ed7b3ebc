/** Shared setup for the runtime tests: a LocalForge on a fresh database with the fixture manifest. */
import { join } from 'node:path';
import { LocalForge, type LocalForgeOptions } from '../../sandbox/runtime';
import * as handlers from './fixtures/handlers';

export const FIXTURE_MANIFEST = join(__dirname, 'fixtures', 'manifest.yml');

export function startForge(options: Partial<LocalForgeOptions> = {}): Promise<LocalForge> {
  return LocalForge.start({
    handlers,
    manifestPath: FIXTURE_MANIFEST,
    persistQueue: false,
    ...options,
  });
}
