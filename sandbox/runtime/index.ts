/**
 * The local Forge runtime: the stand-in for the platform at the `__forge_fetch__`
 * seam, used by tests, benchmarks and the sandbox. See README.md.
 */
export { LocalForge } from './local-forge';
export type { LocalForgeOptions, SqlControl, KvsControl, QueueControl } from './local-forge';
export { LocalForgeError } from './local-forge-error';
export { FunctionTimeoutError } from './invoke/function-timeout-error';
export type { ResolverCallOptions, TriggerOutcome } from './invoke/invoker';
export type { QueueStats } from './queue/queue-dispatcher';
export type { SqlFailureSpec } from './sql/sql-faults';
export type { JiraCallStats } from './jira/jira-forwarder';
export { PRINCIPAL_HEADER } from './jira/jira-forwarder';
export { currentScope } from './invocation-scope';
export type { AppIdentity } from './app-identity';
export type { QueueFaults, FailureMode } from './queue/queue-faults';
export type { SqlFaults } from './sql/sql-faults';
export type { KvsFaults, KvsFailureSpec, KvsHold, KvsHoldOptions, KvsMatch, KvsRequest } from './kvs/kvs-faults';
