/** Resolver of the admin page (function `admin-page-resolver`). */
import Resolver from '@forge/resolver';
import type { AdminPageMethods } from '../shared/contract';
import { defineAll, type SurfaceHandlers } from './define';
import {
  ageCountsMethod,
  issueTypesListMethod,
  meMethod,
  projectsListMethod,
  settingsGetMethod,
  settingsSaveMethod,
  validateJqlMethod,
} from './methods/admin';
import { uimRegisterMethod, uimStatusMethod } from './methods/create-check-registration';
import { runCancelMethod, runStartMethod, runStatusMethod } from './methods/runs';
import { adminHistoryMethod, settingsPreviewMethod } from './methods/stats';

const handlers: SurfaceHandlers<AdminPageMethods> = {
  'settings.get': settingsGetMethod,
  'settings.save': settingsSaveMethod,
  'settings.validateJql': validateJqlMethod,
  'settings.ageCounts': ageCountsMethod,
  'settings.preview': settingsPreviewMethod,
  'projects.list': projectsListMethod,
  'issueTypes.list': issueTypesListMethod,
  'uim.status': uimStatusMethod,
  'uim.register': uimRegisterMethod,
  'run.start': runStartMethod,
  'run.status': runStatusMethod,
  'run.cancel': runCancelMethod,
  'history.list': adminHistoryMethod,
  'me.get': meMethod,
};

// Only Jira admins reach this page in Jira: its errors send them to the app's support, not
// to "your Jira admin".
export const adminPageResolver = defineAll(new Resolver(), handlers, { audience: 'admins' }).getDefinitions();
