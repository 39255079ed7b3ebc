/**
 * Writes and admin-only reads on the admin page are for Jira admins, checked on the server
 * with Jira's global ADMINISTER permission for the acting user (the admin page being
 * visible only to admins is a UI fact, not a security boundary).
 */
import { isJiraAdmin } from '../jira/permissions';
import { forbidden } from './api-failure';

export async function requireAdmin(what: string): Promise<void> {
  if (!(await isJiraAdmin())) throw forbidden(`Only Jira admins can ${what}.`);
}
