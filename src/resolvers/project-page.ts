/** Resolver of the project page's review queue (function `project-page-resolver`). */
import Resolver from '@forge/resolver';
import type { ProjectPageMethods } from '../shared/contract';
import { defineAll, type SurfaceHandlers } from './define';
import { meMethod } from './methods/admin';
import { clusterLinkMethod } from './methods/cluster-link';
import { clustersMethod } from './methods/clusters';
import { bulkDecideMethod, decideMethod } from './methods/decide';
import { exportCsvMethod } from './methods/export-csv';
import { listPairsMethod, pairDetailMethod } from './methods/pairs';
import { runCancelMethod, runListMethod, runStartMethod, runStatusMethod } from './methods/runs';
import { historyMethod, statsMethod } from './methods/stats';

const handlers: SurfaceHandlers<ProjectPageMethods> = {
  'run.status': runStatusMethod,
  'run.start': runStartMethod,
  'run.cancel': runCancelMethod,
  'run.list': runListMethod,
  'pairs.list': listPairsMethod,
  'pairs.detail': pairDetailMethod,
  'pairs.decide': decideMethod,
  'pairs.bulkDecide': bulkDecideMethod,
  'clusters.list': clustersMethod,
  'clusters.link': clusterLinkMethod,
  'export.csv': exportCsvMethod,
  'stats.get': statsMethod,
  'history.list': historyMethod,
  'me.get': meMethod,
};

export const projectPageResolver = defineAll(new Resolver(), handlers).getDefinitions();
