/**
 * The parts of manifest.yml the runtime needs: which export handles each function
 * key and with what timeout, which function consumes each queue, which functions
 * product-event and scheduled triggers call. Parsed with the `yaml` package and
 * checked with zod so a malformed manifest fails at start, not mid-test.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { LocalForgeError } from '../local-forge-error';

const functionSchema = z.object({ key: z.string(), handler: z.string(), timeoutSeconds: z.number().optional() });
const consumerSchema = z.object({
  key: z.string(),
  queue: z.string(),
  function: z.string().optional(),
  resolver: z.object({ function: z.string(), method: z.string() }).optional(),
});
const triggerSchema = z.object({
  key: z.string(),
  function: z.string(),
  events: z.array(z.string()),
  filter: z.object({ ignoreSelf: z.boolean().optional() }).optional(),
});
const scheduledSchema = z.object({ key: z.string(), function: z.string(), interval: z.string() });

const manifestSchema = z.object({
  modules: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
});

export interface FunctionSpec {
  key: string;
  /** The export name in the handlers module (`index.xyz` → `xyz`). */
  exportName: string;
  timeoutSeconds: number | undefined;
}

export interface ConsumerSpec {
  key: string;
  queue: string;
  functionKey: string;
  /** Set for the resolver style consumer (`resolver: {function, method}`). */
  method: string | undefined;
}

export interface TriggerSpec {
  key: string;
  functionKey: string;
  events: string[];
  ignoreSelf: boolean;
}

export interface ScheduledSpec {
  key: string;
  functionKey: string;
  interval: string;
}

export interface AppManifest {
  functions: Map<string, FunctionSpec>;
  consumers: ConsumerSpec[];
  triggers: TriggerSpec[];
  scheduled: ScheduledSpec[];
  /** UI module key → resolver function key. */
  resolverModules: Map<string, string>;
}

export function loadManifest(path: string): AppManifest {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new LocalForgeError(`Cannot read manifest ${path}: ${(error as Error).message}`);
  }
  return parseManifest(raw, path);
}

export function parseManifest(raw: unknown, source = 'manifest'): AppManifest {
  const top = manifestSchema.safeParse(raw);
  if (!top.success) throw new LocalForgeError(`${source}: 'modules' must map module kinds to lists.`);
  const modules = top.data.modules;
  const each = <T>(kind: string, schema: z.ZodType<T>): T[] =>
    (modules[kind] ?? []).map((entry, i) => {
      const result = schema.safeParse(entry);
      if (!result.success) throw new LocalForgeError(`${source}: modules.${kind}[${i}] is malformed: ${result.error.message}`);
      return result.data;
    });

  const functions = new Map<string, FunctionSpec>();
  for (const fn of each('function', functionSchema)) {
    const exportName = fn.handler.split('.').pop() ?? fn.handler;
    functions.set(fn.key, { key: fn.key, exportName, timeoutSeconds: fn.timeoutSeconds });
  }
  const consumers = each('consumer', consumerSchema).map((c) => {
    const functionKey = c.function ?? c.resolver?.function;
    if (!functionKey) throw new LocalForgeError(`${source}: consumer ${c.key} names no function.`);
    return { key: c.key, queue: c.queue, functionKey, method: c.function ? undefined : c.resolver?.method };
  });
  const triggers = each('trigger', triggerSchema).map((t) => ({
    key: t.key,
    functionKey: t.function,
    events: t.events,
    ignoreSelf: t.filter?.ignoreSelf === true,
  }));
  const scheduled = each('scheduledTrigger', scheduledSchema).map((s) => ({ key: s.key, functionKey: s.function, interval: s.interval }));
  const resolverModules = new Map<string, string>();
  for (const [kind, entries] of Object.entries(modules)) {
    if (['function', 'consumer', 'trigger', 'scheduledTrigger'].includes(kind)) continue;
    for (const entry of entries) {
      const resolver = entry['resolver'] as { function?: unknown } | undefined;
      if (typeof entry['key'] === 'string' && typeof resolver?.function === 'string') {
        resolverModules.set(entry['key'], resolver.function);
      }
    }
  }
  for (const used of [...consumers, ...triggers, ...scheduled]) {
    if (!functions.has(used.functionKey)) {
      throw new LocalForgeError(`${source}: module ${used.key} uses function '${used.functionKey}', which is not declared.`);
    }
  }
  return { functions, consumers, triggers, scheduled, resolverModules };
}

/** Forge's default function timeout when the manifest gives none. */
export const DEFAULT_TIMEOUT_SECONDS = 25;
/** Consumers and scheduled triggers default to 55 s. */
export const DEFAULT_ASYNC_TIMEOUT_SECONDS = 55;
