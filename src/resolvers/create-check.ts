/** Resolver of the create dialog's UI modification (function `create-check-resolver`). */
import Resolver from '@forge/resolver';
import type { CreateCheckMethods } from '../shared/contract';
import { defineAll, type SurfaceHandlers } from './define';
import { createCheckMethod } from './methods/create-check';

const handlers: SurfaceHandlers<CreateCheckMethods> = {
  'create.check': createCheckMethod,
};

export const createCheckResolver = defineAll(new Resolver(), handlers).getDefinitions();
