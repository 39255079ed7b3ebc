/**
 * The identifiers a Forge installation would have. Fixed per LocalForge instance so
 * that ARIs, installContext and the queue paths are stable across a restart.
 */
import { randomUUID } from 'node:crypto';

export interface AppIdentity {
  appId: string;
  appVersion: string;
  environmentId: string;
  environmentType: 'DEVELOPMENT' | 'STAGING' | 'PRODUCTION';
  installationId: string;
  cloudId: string;
  siteUrl: string;
  /** The app's own Atlassian account (the author of its links and comments). */
  appAccountId: string;
}

export function defaultIdentity(overrides: Partial<AppIdentity> = {}): AppIdentity {
  return {
    appId: 'local-dedupe-app',
    appVersion: '1.0.0',
    environmentId: 'local-environment',
    environmentType: 'DEVELOPMENT',
    installationId: randomUUID(),
    cloudId: 'local-cloud-id',
    siteUrl: 'http://localhost',
    appAccountId: 'app-account-id',
    ...overrides,
  };
}

export function installContextAri(identity: AppIdentity): string {
  return `ari:cloud:jira::site/${identity.cloudId}`;
}
