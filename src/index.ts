/**
 * Every handler manifest.yml names, and nothing else. Grouped by module kind.
 */

// UI resolvers (bridge `invoke`), one per surface: 25 s each.
export { issueViewResolver } from './resolvers/issue-view';
export { projectPageResolver } from './resolvers/project-page';
export { adminPageResolver } from './resolvers/admin-page';
export { createCheckResolver } from './resolvers/create-check';

// Dynamic properties of the issue context (the "N possible duplicates" badge).
export { issueBadge } from './resolvers/issue-badge';

// Queue consumer: the analysis pipeline's batches.
export { analysisWorker } from './analysis/worker';

// Scheduled trigger: the daily/weekly run.
export { scheduledRun } from './triggers/scheduled';

// Product event triggers: issue created/updated/deleted, and app install/upgrade.
export { issueEvents } from './triggers/issue-events';
export { lifecycle } from './triggers/lifecycle';
