/** The runtime's manifest reader, on the app's real manifest.yml and on malformed input. */
import { join } from 'node:path';
import { LocalForgeError } from '../../sandbox/runtime';
import { loadManifest, parseManifest } from '../../sandbox/runtime/manifest/app-manifest';

test('the app manifest yields its functions, consumers, triggers and resolvers', () => {
  const manifest = loadManifest(join(__dirname, '..', '..', 'manifest.yml'));
  for (const consumer of manifest.consumers) expect(manifest.functions.has(consumer.functionKey)).toBe(true);
  for (const trigger of manifest.triggers) expect(manifest.functions.has(trigger.functionKey)).toBe(true);
  for (const fn of manifest.functions.values()) expect(fn.exportName).toMatch(/^[A-Za-z_$][\w$]*$/);
  expect(manifest.consumers.length).toBeGreaterThan(0);
  expect(manifest.triggers.some((t) => t.events.includes('avi:jira:created:issue'))).toBe(true);
});

test('resolver-style consumers and handler export names are read', () => {
  const manifest = parseManifest({
    modules: {
      consumer: [{ key: 'c', queue: 'q', resolver: { function: 'f', method: 'listen' } }],
      function: [{ key: 'f', handler: 'src/index.run', timeoutSeconds: 120 }],
    },
  });
  expect(manifest.consumers).toEqual([{ key: 'c', queue: 'q', functionKey: 'f', method: 'listen' }]);
  expect(manifest.functions.get('f')).toEqual({ key: 'f', exportName: 'run', timeoutSeconds: 120 });
});

test('a module naming an undeclared function is refused', () => {
  expect(() => parseManifest({ modules: { consumer: [{ key: 'c', queue: 'q', function: 'ghost' }] } })).toThrow(LocalForgeError);
});
