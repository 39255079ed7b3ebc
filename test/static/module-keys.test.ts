import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ADMIN_PAGE_MODULE, PROJECT_PAGE_MODULE } from '../../static/shared/module-keys';

interface Modules {
  modules: Record<string, Array<{ key: string }>>;
}

describe('the pages\' module keys', () => {
  const manifest = parse(readFileSync(join(__dirname, '..', '..', 'manifest.yml'), 'utf8')) as Modules;

  it('name the manifest\'s project page and admin page, so navigating to them lands', () => {
    expect(manifest.modules['jira:projectPage']?.map((m) => m.key)).toEqual([PROJECT_PAGE_MODULE]);
    expect(manifest.modules['jira:adminPage']?.map((m) => m.key)).toEqual([ADMIN_PAGE_MODULE]);
  });
});
