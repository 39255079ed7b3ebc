/** Resolver of the issue panel and the issue context (function `issue-view-resolver`). */
import Resolver from '@forge/resolver';
import type { IssuePanelMethods } from '../shared/contract';
import { defineAll, type SurfaceHandlers } from './define';
import { meMethod } from './methods/admin';
import { decideMethod } from './methods/decide';
import { getSuggestions, recheckSuggestions } from './methods/suggestions';

const handlers: SurfaceHandlers<IssuePanelMethods> = {
  'suggestions.get': getSuggestions,
  'suggestions.recheck': recheckSuggestions,
  'pairs.decide': decideMethod,
  'me.get': meMethod,
};

export const issueViewResolver = defineAll(new Resolver(), handlers).getDefinitions();
