/**
 * `npm ci` on a fresh machine, as the README's quick start runs it: .npmrc turns off
 * dependencies' install scripts, since those in the tree download binaries or build
 * native code that a machine without network or libsecret cannot, and none is needed.
 * A dependency that brings a new install script fails here until someone has checked
 * that the app builds, tests and runs without it, and said why below.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Every package in package-lock.json with an install script, and why it is not needed. */
const NOT_NEEDED: Record<string, string> = {
  '@forge/cli': 'postinstall reports analytics and mentions shell completion',
  cloudflared: 'postinstall downloads the cloudflared binary, which only `forge tunnel` uses',
  esbuild: 'postinstall checks the binary that its platform package (@esbuild/linux-x64) already brings',
  'iframe-resizer': 'postinstall prints an upgrade notice',
  keytar: 'install builds the credential store `forge login` keeps its token in; without it the Forge CLI takes FORGE_EMAIL and FORGE_API_TOKEN',
};

interface LockFile {
  packages: Record<string, { hasInstallScript?: boolean }>;
}

it('.npmrc turns off dependencies\' install scripts', () => {
  const lines = readFileSync(join(ROOT, '.npmrc'), 'utf8').split(/\r?\n/).map((l) => l.trim());
  expect(lines).toContain('ignore-scripts=true');
});

it('every install script in the lock file is one known not to be needed', () => {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as LockFile;
  const withScripts = Object.entries(lock.packages)
    .filter(([, p]) => p.hasInstallScript === true)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  expect([...new Set(withScripts)].sort()).toEqual(Object.keys(NOT_NEEDED).sort());
});

it('the package itself has no install, prestart or pretest script that ignore-scripts would skip', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const skipped = Object.keys(pkg.scripts).filter((name) => /^(pre|post)|^(install|prepare)$/.test(name));
  expect(skipped).toEqual([]);
});
