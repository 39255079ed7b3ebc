/**
 * The admin history's line for a settings save: which projects came into scope and which
 * left it, named up to a few and counted beyond, and the other changed settings by name.
 */
import type { Settings } from '../../src/shared/contract';
import { describeChange } from '../../src/resolvers/methods/admin';
import { DEFAULT_SETTINGS } from '../../src/store/settings';

const base: Settings = { ...DEFAULT_SETTINGS, thresholds: { duplicate: 0.5, related: 0.3 }, projects: ['OPS', 'SHOP'] };
const keys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(2, '0')}`);

describe('settings.save history detail', () => {
  it('names the projects added and removed', () => {
    expect(describeChange(base, { ...base, projects: ['MOB', 'SHOP', 'WEB'] })).toBe('changed: projects in scope (added MOB and WEB; removed OPS); 3 projects in scope');
    expect(describeChange(base, { ...base, projects: ['OPS', 'SHOP', 'WEB'] })).toBe('changed: projects in scope (added WEB); 3 projects in scope');
    expect(describeChange(base, { ...base, projects: [] })).toBe('changed: projects in scope (removed OPS and SHOP); 0 projects in scope');
  });

  it('keeps the other changed settings as they were named, in the form\'s order', () => {
    const after: Settings = { ...base, thresholds: { duplicate: 0.6, related: 0.3 }, projects: ['SHOP'], jqlFilter: 'labels is EMPTY', schedule: 'weekly' };
    expect(describeChange(base, after)).toBe('changed: thresholds (50% / 30% → 60% / 30%), projects in scope (removed OPS), JQL filter (set), schedule (daily → weekly); 1 project in scope');
    expect(describeChange(base, base)).toBe('changed: nothing; 2 projects in scope');
  });

  it('says the short settings from and to, and the JQL filter only as set, edited or cleared', () => {
    const a: Settings = { ...base, jqlFilter: 'labels = x', issueTypes: [], maxAgeDays: 0, retentionDays: 90 };
    const b: Settings = {
      ...a,
      weights: { ...a.weights, summary: 2.5, labels: 0 },
      crossProject: !a.crossProject,
      createDialogCheck: false,
      jqlFilter: 'labels = y',
      issueTypes: ['Story', 'Bug'],
      maxAgeDays: 365,
      retentionDays: 30,
    };
    expect(describeChange(a, b)).toBe(
      `changed: field weights (summary ${a.weights.summary} → 2.5, labels ${a.weights.labels} → 0), cross-project suggestions (now ${b.crossProject ? 'on' : 'off'}), create-dialog check (now off), JQL filter (edited), issue types (all types → Bug and Story), age limit (no limit → 365 days), retention (90 days → 30 days); 2 projects in scope`,
    );
    expect(describeChange(b, { ...b, jqlFilter: '' })).toBe('changed: JQL filter (cleared); 2 projects in scope');
    expect(describeChange(b, { ...b, dismissNeedsLink: true })).toBe('changed: who may dismiss (now only people who can link issues); 2 projects in scope');
    // The filter's text is never written: people may paste anything there.
    expect(describeChange(a, b)).not.toContain('labels = ');
  });

  it('names the first three of a long list and counts the rest, never "and 1 more"', () => {
    const many = describeChange({ ...base, projects: keys('OLD', 40) }, { ...base, projects: keys('NEW', 150) });
    expect(many).toBe('changed: projects in scope (added NEW01, NEW02, NEW03 and 147 more; removed OLD01, OLD02, OLD03 and 37 more); 150 projects in scope');
    expect(describeChange(base, { ...base, projects: [...base.projects, ...keys('A', 4)] })).toMatch(/\(added A01, A02, A03 and A04\)/);
    expect(describeChange(base, { ...base, projects: [...base.projects, ...keys('A', 5)] })).toMatch(/\(added A01, A02, A03 and 2 more\)/);
  });

  it('stays well under the 1000 characters an action detail keeps, with the longest keys there are', () => {
    const long = (prefix: string, n: number) => keys(prefix, n).map((k) => k.padEnd(32, 'X'));
    const detail = describeChange({ ...base, projects: long('P', 200) }, { ...base, thresholds: { duplicate: 0.9, related: 0.1 }, projects: long('Q', 200), issueTypes: ['Bug'], maxAgeDays: 30 });
    expect(detail.length).toBeLessThan(400);
  });
});
