import { DEFAULT_CONFIG } from '../../src/engine';
import { DEFAULT_SETTINGS, settingsSchema } from '../../src/store/settings';

describe('settingsSchema', () => {
  it('accepts the defaults, which follow the engine thresholds', () => {
    expect(settingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.thresholds).toEqual({ ...DEFAULT_CONFIG.thresholds });
  });

  it.each([
    ['duplicate not above related', { thresholds: { duplicate: 0.3, related: 0.3 } }, 'thresholds.duplicate'],
    ['threshold above 1', { thresholds: { duplicate: 1.2, related: 0.3 } }, 'thresholds.duplicate'],
    ['weight above 5', { weights: { ...DEFAULT_SETTINGS.weights, summary: 6 } }, 'weights.summary'],
    ['all weights 0', { weights: { summary: 0, description: 0, labels: 0, components: 0, type: 0 } }, 'weights.summary'],
    ['the issue type weighed alone', { weights: { summary: 0, description: 0, labels: 0, components: 0, type: 1 } }, 'weights.summary'],
    ['labels and components without the text', { weights: { summary: 0, description: 0, labels: 2, components: 2, type: 0 } }, 'weights.summary'],
    ['related below its minimum', { thresholds: { duplicate: 0.45, related: 0.04 } }, 'thresholds.related'],
    ['bad project key', { projects: ['shop'] }, 'projects.0'],
    ['retention too short', { retentionDays: 3 }, 'retentionDays'],
    ['unknown schedule', { schedule: 'hourly' }, 'schedule'],
  ])('rejects %s', (_name, patch, path) => {
    const result = settingsSchema.safeParse({ ...DEFAULT_SETTINGS, ...patch });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
