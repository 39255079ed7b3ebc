/**
 * The manifest's keys of the app's own pages (`jira:projectPage`, `jira:adminPage`), for
 * `router.navigate({ target: 'module', moduleKey })`. test/static/module-keys.test.ts holds
 * them to manifest.yml.
 */
export const PROJECT_PAGE_MODULE = 'dedupe-project-page';
export const ADMIN_PAGE_MODULE = 'dedupe-admin-page';
