// DEV ONLY. Never shipped (not under any surface's build) and never used by tests.
// A canned `window.__bridge` so the production builds can be eyeballed before the
// real backend and sandbox host exist. Query string: ?surface=issue-panel&mode=dark&empty=1&canLink=0&inScope=0&rateLimited=60 (or &jiraBusy=60)&tiersOutdated=1
(function () {
  const qs = new URLSearchParams(location.search);
  const mode = qs.get('mode') === 'dark' ? 'dark' : 'light';
  const now = Date.now();
  const iso = (minsAgo) => new Date(now - minsAgo * 60000).toISOString();
  const issue = (n, summary, extra) => ({
    id: String(10000 + n), key: 'DEMO-' + n, summary, projectKey: 'DEMO', type: n % 3 ? 'Bug' : 'Task',
    status: n % 4 === 0 ? 'Done' : n % 2 ? 'In Progress' : 'To Do',
    statusCategory: n % 4 === 0 ? 'done' : n % 2 ? 'indeterminate' : 'new', created: iso(n * 900), updated: iso(n * 30), ...extra,
  });
  const seg = (s) => s.split(/(login|timeout|crash|export)/i).filter(Boolean).map((t) => ({ text: t, match: /^(login|timeout|crash|export)$/i.test(t) }));
  const summaries = [
    'Login fails with timeout after password reset', 'Login page timeout on Safari', 'App crash when exporting CSV',
    'Export to CSV crashes the board', '<script>alert(1)</script> login timeout', '\u202Egnp.exe login timeout RTL trick',
    'javascript:alert(1) export crash', 'Timeout on login for SSO users ' + 'very long '.repeat(80),
  ];
  const sugg = (n, score, tier, status, decided) => ({
    pairId: 'p' + n, issue: issue(n, summaries[n % summaries.length]), score, tier, status: status || 'pending',
    sharedTerms: [{ term: 'login', share: 0.4 }, { term: 'timeout', share: 0.3 }], summarySegments: seg(summaries[n % summaries.length]),
    linked: status === 'confirmed', thisIsDuplicate: n % 2 === 0, alsoLinkedWith: n === 2 ? [{ id: '9', key: 'DEMO-9' }] : [], joinedThrough: [], otherWork: null,
    decidedBy: decided ? decided.by : null, decidedAt: decided ? iso(decided.minsAgo) : null, decidedInJira: !!(decided && decided.inJira),
    dismissReason: status === 'dismissed' ? 'related' : null, dismissReasonBy: null,
  });
  const pair = (n) => {
    const score = 0.95 - n * 0.03;
    return {
      id: 'p' + n, a: issue(n, summaries[n % 8]), b: issue(n + 50, summaries[(n + 1) % 8]), score, tier: score > 0.8 ? 'duplicate' : 'related',
      status: 'pending', sharedTerms: [{ term: 'login', share: 0.5 }, { term: 'timeout', share: 0.2 }], decidedBy: null, decidedAt: null, decidedInJira: false, dismissReason: null, dismissReasonBy: null,
      firstSeenAt: iso(600), lastSeenAt: iso(20), clusterId: n % 3 ? 'c1' : null, otherWork: null, linkedInJira: false, linkedThrough: [],
    };
  };
  let runState = null;
  let runPolls = 0;
  const run = (status, progress) => ({
    runId: 'r1', scope: { kind: 'project', projectKey: 'DEMO' }, trigger: 'manual', mode: 'full', status,
    counters: { fetched: Math.round(1200 * progress), indexed: Math.round(1100 * progress), scored: Math.round(900 * progress), pairs: 40, expected: 1200, toCompare: status === 'fetching' || status === 'scoring' ? 1100 : null },
    progress, etaSeconds: status === 'done' ? 0 : 95, startedAt: iso(3), finishedAt: status === 'done' ? iso(0) : null, startedBy: 'me', error: null, countsWithheld: 'none', waitingUntil: null, waitReason: null, notice: null,
  });
  let settings = {
    thresholds: { duplicate: 0.82, related: 0.6 }, weights: { summary: 3, description: 1, labels: 0.5, components: 0.5, type: 0.2 },
    projects: ['DEMO'], crossProject: false, createDialogCheck: true, dismissNeedsLink: false, runsNeedProjectAdmin: false, jqlFilter: '', issueTypes: [], maxAgeDays: 0, schedule: 'daily', retentionDays: 365,
  };
  // The create-dialog check: registered for these keys (?uim=off starts with none).
  let uimKeys = qs.get('uim') === 'off' ? [] : settings.projects.slice();
  const uimStatus = () => {
    const covered = settings.projects.filter((k) => uimKeys.includes(k));
    const missing = settings.projects.filter((k) => !uimKeys.includes(k));
    const extra = uimKeys.filter((k) => !settings.projects.includes(k)).length;
    const state = covered.length === 0 && extra === 0 ? 'off' : missing.length === 0 && extra === 0 ? 'on' : 'outdated';
    return { state, coveredKeys: covered, missingKeys: missing, extraProjects: extra, error: null };
  };
  const empty = qs.get('empty') === '1';
  const handlers = {
    'suggestions.recheck': () => ({ rechecked: false }),
    // ?rateLimited=60: Jira answers 429 with Retry-After: 60, as the resolver says it (the panel waits that long before asking again).
    // ?jiraBusy=60: Jira answers 503 with Retry-After: 60, the same wait on a JIRA_ERROR.
    'suggestions.get': () => qs.get('rateLimited') ? { __error: { code: 'RATE_LIMITED', message: `Jira is limiting requests right now. Try again in about ${Number(qs.get('rateLimited'))} s.`, retryAfterMs: Number(qs.get('rateLimited')) * 1000 } }
      : qs.get('jiraBusy') ? { __error: { code: 'JIRA_ERROR', message: `Jira is busy right now (HTTP 503). Try again in about ${Number(qs.get('jiraBusy'))} s.`, retryAfterMs: Number(qs.get('jiraBusy')) * 1000 } } : ({ issue: { id: '10001', key: 'DEMO-1', summary: summaries[0] }, indexed: !empty, computedAt: iso(5), updatedAt: iso(1),
      duplicates: empty ? [] : [sugg(2, 0.91, 'duplicate'), sugg(5, 0.86, 'duplicate')],
      related: empty ? [] : [sugg(3, 0.71, 'related'), sugg(7, 0.64, 'related'), sugg(8, 0.61, 'related', 'confirmed', { by: null, minsAgo: 2 * 1440, inJira: true })],
      // A right-to-left name (isolated where a sentence holds it) and an account closed since, named by the resolver as any other.
      dismissed: empty ? [] : [sugg(4, 0.7, 'related', 'dismissed', { by: 'abc-123', minsAgo: 3 * 1440 }), sugg(6, 0.83, 'duplicate', 'dismissed', { by: 'me', minsAgo: 5 }), sugg(9, 0.66, 'related', 'dismissed', { by: 'hidden-1', minsAgo: 40 * 1440 }),
        sugg(10, 0.65, 'related', 'dismissed', { by: 'rtl-7', minsAgo: 90 }), sugg(11, 0.63, 'related', 'dismissed', { by: '(former user)', minsAgo: 60 * 1440 })],
      // ?notListed=N: N more pending possible duplicates than listed (the panel counts them and offers "Show N more").
      notListed: { duplicates: { pending: empty ? 0 : Number(qs.get('notListed') || 0), confirmed: 0 }, related: { pending: 0, confirmed: 0 }, dismissed: 0 },
      canLink: qs.get('canLink') !== '0', canDismiss: true, inScope: qs.get('inScope') !== '0', excludedType: null, excludedByFilter: false, excludedByAge: null, analysisRunning: false, noWords: false, changedSinceAnalysed: false, tiersOutdated: qs.get('tiersOutdated') === '1', duplicateOf: [],
      actors: empty ? [] : [{ accountId: 'abc-123', displayName: 'Sam Reviewer' }, { accountId: 'rtl-7', displayName: 'דנה לוי' }, { accountId: '(former user)', displayName: 'a former user' }] }),
    'pairs.decide': (p) => ({ pair: { ...pair(1), id: p.pairId, status: p.decision === 'reopen' ? 'pending' : p.decision === 'confirm' ? 'confirmed' : 'dismissed', tier: 'duplicate' }, link: p.decision === 'confirm' ? { created: true, outwardKey: 'DEMO-2', inwardKey: 'DEMO-1' } : null,
      ...(p.linkRelated ? { relatedLink: { created: true, inwardKey: 'DEMO-2', outwardKey: 'DEMO-1' } } : {}), ...(p.unlinkRelated ? { unlinkedRelated: 1 } : {}) }),
    'pairs.bulkDecide': (p) => ({ results: p.pairIds.map((id) => ({ pairId: id, ok: true, ...(p.unlink || (p.unlinkPairIds || []).includes(id) ? { unlinked: 1 } : {}) })) }),
    'run.status': (p) => {
      if (runState === 'running') { runPolls++; if (runPolls > 6) runState = 'done'; }
      return { current: runState === 'running' ? run(runPolls < 2 ? 'fetching' : 'scoring', Math.min(0.95, runPolls / 7)) : null, last: run('done', 1), lastDone: null, analysed: qs.get('analysed') !== '0', otherProjects: false, neverRead: false, tiersOutdated: false,
        control: p && p.control ? (qs.get('canRun') === '0' ? { allowed: false, reason: "A Jira admin lets only this project's administrators start or cancel its analysis", cancelsEveryProject: false } : { allowed: true, reason: null, cancelsEveryProject: false }) : null };
    },
    'run.start': () => { runState = 'running'; runPolls = 0; return { run: run('queued', 0), joined: false }; },
    'run.cancel': () => { runState = null; return { run: run('cancelled', 0.3) }; },
    'run.list': () => ({ runs: Array.from({ length: 8 }, (_, i) => ({ ...run('done', 1), runId: 'r' + i, startedAt: iso(i * 1440 + 30), finishedAt: iso(i * 1440), counters: { fetched: 1000 + i * 20, indexed: 1000, scored: 1000, pairs: 30 + i * 3, expected: 1000, toCompare: null } })) }),
    'pairs.list': (p) => { const size = p.pageSize || 20; const all = empty ? [] : Array.from({ length: 47 }, (_, i) => ({ ...pair(i), status: p.status }));
      const page = p.page || 1; return { items: all.slice((page - 1) * size, page * size), total: all.length, page, pageSize: size, actors: [], dismissNeedsLink: false }; },
    'pairs.detail': (p) => { const pr = pair(Number(p.pairId.slice(1)) || 1); return { pair: pr,
      a: { issue: pr.a, summarySegments: seg(pr.a.summary), descriptionSegments: seg('Steps: open the login page, wait; a timeout happens. '.repeat(6)) },
      b: { issue: pr.b, summarySegments: seg(pr.b.summary), descriptionSegments: seg('When I try the login it shows a timeout error and then the app crash.') }, jiraDuplicateId: null }; },
    'clusters.link': (p) => ({ keep: issue(Number(p.keepIssueId.slice(-1)) || 1, summaries[0]), results: p.duplicateIssueIds.map((id, i) => ({ issueId: id, key: `DEMO-${i + 2}`, ok: true })), pairsConfirmed: p.duplicateIssueIds.length }),
    'clusters.list': () => {
      const members = [issue(1, summaries[0]), issue(2, summaries[1]), issue(5, summaries[5])];
      const pairs = [{ a: members[0].id, b: members[1].id, score: 0.93 }, { a: members[0].id, b: members[2].id, score: 0.84 }];
      // DEMO-2 and DEMO-5 were dismissed as not duplicates of each other: choosing both asks first.
      const dismissed = [{ pairId: 'p25', a: members[1].id, b: members[2].id, decidedBy: 'abc-123', decidedAt: iso(90), dismissReason: 'different' }];
      return { items: [{ id: 'c1', representative: members[0], members, size: 3, maxScore: 0.93, pendingPairs: 2, pairs, canLink: qs.get('canLink') !== '0', dismissed }], total: 1, page: 1, pageSize: 20,
        actors: [{ accountId: 'abc-123', displayName: 'Sam Reviewer' }] };
    },
    'export.csv': (p) => p.cursor ? { csv: 'p2,DEMO-3,DEMO-4,0.7\n', rows: 1, nextCursor: null } : { csv: 'pairId,a,b,score\np1,DEMO-1,DEMO-2,0.9\n', rows: 1, nextCursor: 'x' },
    'stats.get': () => ({ scoreHistogram: Array.from({ length: 10 }, (_, i) => ({ from: 0.5 + i * 0.05, to: 0.55 + i * 0.05, count: Math.round(40 / (i + 1)) })),
      byType: [{ type: 'Bug', count: 30 }, { type: 'Task', count: 12 }, { type: 'Story', count: 5 }], byStatus: { pending: 47, confirmed: 12, dismissed: 8 }, dismissReasons: { different: 3, related: 2, split: 0 } }),
    'history.list': () => ({ items: [{ id: 'h1', at: iso(10), actorAccountId: 'me', action: 'confirm', pairId: 'p1', issueKeys: ['DEMO-1', 'DEMO-2'], detail: null, batchId: null },
      { id: 'h2', at: iso(30), actorAccountId: 'abc-123', action: 'dismiss', pairId: 'p2', issueKeys: ['DEMO-3', 'DEMO-4'], detail: null, batchId: null },
      { id: 'h3', at: iso(60), actorAccountId: null, action: 'run.start', pairId: null, issueKeys: [], detail: 'scheduled', batchId: null },
      { id: 'h4', at: iso(90), actorAccountId: 'rtl-7', action: 'confirm', pairId: 'p5', issueKeys: ['DEMO-5', 'DEMO-6'], detail: null, batchId: null },
      { id: 'h5', at: iso(120), actorAccountId: '(former user)', action: 'dismiss', pairId: 'p7', issueKeys: ['DEMO-7', 'DEMO-8'], detail: null, batchId: null }], total: 5, page: 1, pageSize: 20, asOf: iso(0), newer: 0,
      actors: [{ accountId: 'me', displayName: 'Dev User' }, { accountId: 'abc-123', displayName: 'Sam Reviewer' }, { accountId: 'rtl-7', displayName: 'דנה לוי' }, { accountId: '(former user)', displayName: 'a former user' }] }),
    'settings.get': () => (qs.get('canEdit') !== '0'
      ? { settings, canEdit: true, withheld: { jqlFilter: false, projects: false }, adjusted: [] }
      : { settings: { ...settings, jqlFilter: '' }, canEdit: false, withheld: { jqlFilter: settings.jqlFilter !== '', projects: false }, adjusted: [] }),
    'settings.save': (p) => { if (p.settings.jqlFilter.includes('bad')) return { __error: { code: 'BAD_REQUEST', message: 'Some settings are not valid.', fields: { jqlFilter: 'Jira says: bad JQL' } } }; settings = p.settings; uimKeys = settings.projects.slice(); return { settings, createCheck: uimStatus(), kept: [] }; },
    'settings.preview': () => { const buckets = Array.from({ length: 100 }, (_, i) => (i >= 60 ? Math.round(400 / (i - 55)) : 0)); return { buckets, duplicates: buckets.map((c, i) => (i >= 45 ? c : 0)), storedDuplicateFrom: settings.thresholds.duplicate, storedFrom: settings.thresholds.related, total: buckets.reduce((n, c) => n + c, 0) }; },
    'settings.validateJql': (p) => p.jql.includes('bad') ? { valid: false, errors: ["Error in the JQL Query: The character 'b' is a reserved JQL character."] } : { valid: true, errors: [] },
    // Made up: an age limit of N days keeps N of 40 issues (all 40 from 40 days on).
    'settings.ageCounts': (p) => (p.scope.maxAgeDays === 0 ? { counts: null } : { counts: { kept: Math.min(40, p.scope.maxAgeDays), of: 40 } }),
    'projects.list': () => ({ projects: [{ id: '1', key: 'DEMO', name: 'Demo project' }, { id: '2', key: 'OPS', name: 'Operations' }, { id: '3', key: 'WEB', name: 'Website' }] }),
    'issueTypes.list': () => ({ names: ['Bug', 'Epic', 'Improvement', 'Story', 'Sub-task', 'Task'] }),
    'uim.status': () => uimStatus(),
    'uim.register': () => { uimKeys = settings.projects.slice(); return { registered: uimKeys.length }; },
    'me.get': () => ({ accountId: 'me', displayName: 'Dev User', isAdmin: true }),
    'create.check': () => ({ matches: [{ key: 'DEMO-2', summary: summaries[1], score: 0.87, tier: 'duplicate', duplicateOf: null }] }),
  };
  const surface = qs.get('surface') || 'issue-panel';
  const ext = {
    'issue-panel': { type: 'jira:issuePanel', issue: { id: '10001', key: 'DEMO-1', type: 'Bug' }, project: { id: '1', key: 'DEMO', type: 'software' } },
    'project-page': { type: 'jira:projectPage', project: { id: '1', key: 'DEMO', type: 'software' } },
    'admin-page': { type: 'jira:adminPage' },
  }[surface];
  // The project page's place (view.createHistory), kept in this dev page's hash (#/review/dismissed): Back works here too.
  const devHistory = () => {
    const fns = [];
    const at = () => ({ pathname: window.location.hash.slice(1) || '/', search: '', hash: '', state: null, key: 'dev' });
    const moved = (action) => { h.location = at(); h.action = action; fns.slice().forEach((fn) => fn(h.location, action)); };
    const h = {
      location: at(), action: 'POP',
      push(path) { window.history.pushState(null, '', '#' + path); moved('PUSH'); },
      replace(path) { window.history.replaceState(null, '', '#' + path); moved('REPLACE'); },
      listen(fn) { fns.push(fn); return () => fns.splice(fns.indexOf(fn), 1); },
    };
    window.addEventListener('popstate', () => moved('POP'));
    return h;
  };
  const listeners = {};
  window.__devEmit = (event) => (listeners[event] || []).forEach((cb) => cb({}));
  window.__bridge = {
    callBridge: async (cmd, payload) => {
      await new Promise((r) => setTimeout(r, 150));
      if (cmd === 'invoke') {
        const h = handlers[payload.functionKey];
        if (!h) return { success: false, error: { code: 'INTERNAL', message: 'No handler ' + payload.functionKey } };
        const out = h(payload.payload || {});
        return out && out.__error ? { success: false, error: out.__error } : { success: true, data: out };
      }
      if (cmd === 'getContext') return { accountId: 'me', cloudId: 'c', localId: 'l', moduleKey: 'm', siteUrl: 'http://localhost', theme: { colorMode: mode }, extension: ext };
      if (cmd === 'createHistory') return devHistory();
      if (cmd === 'on') { (listeners[payload.event] ||= []).push(payload.callback); return { unsubscribe() {} }; }
      if (cmd === 'showFlag') { console.log('FLAG', JSON.stringify(payload)); return { close() {} }; }
      console.log('BRIDGE', cmd, JSON.stringify(payload));
      return undefined;
    },
  };
})();
