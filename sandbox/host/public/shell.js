// The shell page's script: user and theme switches, flags, and the parent half of
// the frames' bridge. Frame commands that only concern the page (flags, navigation,
// history, theme) are answered here; the rest go to the server at POST /__bridge,
// which knows the signed-in account and calls the app's resolvers.
(function () {
  'use strict';
  var TAG = '__sandboxBridge';
  var data = JSON.parse(document.getElementById('shell-data').textContent);
  var colorMode = data.colorMode;
  var extraHandlers = {};

  function setCookie(name, value) {
    document.cookie = name + '=' + encodeURIComponent(value) + '; path=/; SameSite=Lax';
  }

  function frames() {
    return Array.prototype.slice.call(document.querySelectorAll('iframe.forge-frame'));
  }

  function send(iframe, message) {
    if (iframe.contentWindow) iframe.contentWindow.postMessage(Object.assign({ [TAG]: 1 }, message), '*');
  }

  function extensionOf(iframe) {
    return JSON.parse(iframe.dataset.extension || '{}');
  }

  function serverBridge(moduleKey, localId, extension, command, payload) {
    return fetch('/__bridge', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ command: command, payload: payload, moduleKey: moduleKey, localId: localId, extension: extension }),
    })
      .then(function (res) { return res.json(); })
      .then(function (answer) {
        if (!answer.ok) throw new Error(answer.error || 'Bridge call failed');
        return answer.result;
      });
  }

  // ---- flags ------------------------------------------------------------------
  function showFlag(options, fromFrame) {
    var box = document.getElementById('flags');
    closeFlag({ id: options.id });
    var flag = document.createElement('div');
    flag.className = 'flag flag--' + (options.type || 'info');
    flag.dataset.flagId = String(options.id);
    flag.setAttribute('role', options.type === 'error' ? 'alert' : 'status');
    flag.setAttribute('data-testid', 'shell-flag');
    var title = document.createElement('strong');
    title.textContent = options.title || '';
    var body = document.createElement('div');
    body.textContent = options.description || '';
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'flag__close';
    close.setAttribute('aria-label', 'Dismiss');
    close.textContent = '×';
    close.onclick = function () { flag.remove(); };
    flag.append(close, title, body);
    // Actions: buttons whose clicks go back to the frame that showed the flag.
    var actions = Array.isArray(options.actions) ? options.actions : [];
    if (actions.length > 0) {
      var row = document.createElement('div');
      row.className = 'flag__actions';
      actions.forEach(function (a, index) {
        var b = document.createElement('button');
        b.type = 'button';
        b.className = 'flag__action';
        b.setAttribute('data-testid', 'shell-flag-action');
        b.textContent = String(a.text || '');
        b.onclick = function () {
          if (fromFrame && fromFrame.contentWindow) send(fromFrame, { push: 'flag-action', flagId: String(options.id), index: index });
        };
        row.append(b);
      });
      flag.append(row);
    }
    box.append(flag);
    if (options.isAutoDismiss !== false) setTimeout(function () { flag.remove(); }, 8000);
  }

  function closeFlag(options) {
    document.querySelectorAll('.flag').forEach(function (f) {
      if (f.dataset.flagId === String(options && options.id)) f.remove();
    });
  }

  // ---- navigation and history ---------------------------------------------------
  function urlFor(location) {
    if (location.url) return new URL(location.url, window.location.href).href;
    if (location.target === 'issue' && location.issueKey) return new URL('/browse/' + location.issueKey, window.location.href).href;
    // Forge's target for an app's own pages: { target: 'module', moduleKey, projectKey? }.
    var page = location.target === 'module' ? (data.pageModules || {})[location.moduleKey] : undefined;
    if (page === 'projectPage' && location.projectKey) {
      return new URL('/projects/' + encodeURIComponent(location.projectKey) + '/apps/duplicates', window.location.href).href;
    }
    if (page === 'adminPage') return new URL('/admin/apps/duplicates', window.location.href).href;
    throw new Error('The sandbox host cannot navigate to target "' + location.target + '".');
  }

  function navigate(location) {
    var url = urlFor(location);
    if (location.type === 'new-tab') window.open(url, '_blank', 'noopener');
    else window.location.assign(url);
  }

  function initialHistory(iframe) {
    var path = iframe.dataset.historyPath || '/';
    var q = path.indexOf('?');
    return { pathname: q < 0 ? path : path.slice(0, q), search: q < 0 ? '' : path.slice(q) };
  }

  window.addEventListener('popstate', function () {
    frames().forEach(function (iframe) {
      var base = iframe.dataset.historyBase;
      if (!base || window.location.pathname.indexOf(base) !== 0) return;
      var rest = window.location.pathname.slice(base.length) || '/';
      send(iframe, { push: 'history-pop', location: { pathname: rest, search: window.location.search, hash: '' } });
    });
  });

  // ---- events to frames -------------------------------------------------------------
  function broadcast(event, payload, except) {
    frames().forEach(function (iframe) {
      if (iframe !== except) send(iframe, { push: 'event', event: event, payload: payload });
    });
  }

  // ---- the bridge broker --------------------------------------------------------------
  var local = {
    showFlag: function (f, p) { showFlag(p || {}, f); },
    closeFlag: function (_f, p) { closeFlag(p); },
    navigate: function (_f, p) { navigate(p || {}); },
    open: function () { return false; },
    close: function () { return false; },
    submit: function () { return false; },
    getUrl: function (_f, p) { return urlFor(p || {}); },
    reload: function () { window.location.reload(); },
    refresh: function (f) { f.contentWindow.location.reload(); return true; },
    changeWindowTitle: function (_f, title) { document.title = String(title); },
    emit: function (f, p) { broadcast(p.event, p.payload, f); },
    emitReadyEvent: function () {},
    emitFrontendCustomMetric: function () {},
    'history.initial': function (f) { return initialHistory(f); },
    'theme.get': function () { return { colorMode: colorMode }; },
  };

  function handle(iframe, command, payload) {
    var fn = local[command] || extraHandlers[command];
    if (fn) return Promise.resolve().then(function () { return fn(iframe, payload); });
    return serverBridge(iframe.dataset.moduleKey, iframe.dataset.localId, extensionOf(iframe), command, payload).then(function (result) {
      if (command === 'invoke') issueWatcher.soon();
      return result;
    });
  }

  function onPush(iframe, m) {
    if (m.push === 'resize' && iframe.classList.contains('forge-frame--content')) {
      iframe.style.height = Math.max(60, m.height) + 'px';
    } else if (m.push === 'resize' && iframe.classList.contains('forge-frame--fill')) {
      // Pages fill the main area and grow past it with their content (never shrink below).
      iframe.style.height = m.height + 'px';
    } else if (m.push === 'history' && iframe.dataset.historyBase) {
      var url = iframe.dataset.historyBase + (m.location.pathname === '/' ? '' : m.location.pathname) + (m.location.search || '');
      if (m.action === 'REPLACE') window.history.replaceState(null, '', url);
      else window.history.pushState(null, '', url);
    } else if (m.push === 'history-go') {
      window.history.go(m.delta);
    } else if (m.push === 'log') {
      console.warn('[frame ' + iframe.dataset.moduleKey + '] ' + m.message);
    }
  }

  window.addEventListener('message', function (e) {
    var m = e.data;
    if (!m || m[TAG] !== 1) return;
    var iframe = frames().find(function (f) { return f.contentWindow === e.source; });
    if (!iframe) return;
    if (m.push) { onPush(iframe, m); return; }
    handle(iframe, m.command, m.payload).then(
      function (result) { e.source.postMessage({ [TAG]: 1, id: m.id, ok: true, result: result }, '*'); },
      function (err) { e.source.postMessage({ [TAG]: 1, id: m.id, ok: false, error: String((err && err.message) || err) }, '*'); }
    );
  });

  // ---- issue view: badge, links and JIRA_ISSUE_CHANGED -------------------------------------
  function renderLinks(links) {
    var box = document.getElementById('issue-links');
    if (!box) return;
    box.textContent = '';
    if (links.length === 0) {
      var empty = document.createElement('p');
      empty.className = 'empty';
      empty.setAttribute('data-testid', 'no-links');
      empty.textContent = 'No linked issues.';
      box.append(empty);
      return;
    }
    var list = document.createElement('ul');
    list.className = 'links';
    links.forEach(function (l) {
      var item = document.createElement('li');
      item.dataset.linkType = l.typeName;
      var relation = document.createElement('span');
      relation.className = 'links__relation';
      relation.textContent = l.relation;
      var a = document.createElement('a');
      a.href = '/browse/' + encodeURIComponent(l.key);
      a.textContent = l.key;
      var summary = document.createElement('span');
      summary.textContent = ' ' + l.summary;
      item.append(relation, ' ', a, summary);
      list.append(item);
    });
    box.append(list);
  }

  // Each read of the badge numbered: an answer to an older one that comes last is dropped.
  var badgeReads = 0;
  function loadBadge() {
    var box = document.querySelector('.context-box');
    if (!box || !data.issue) return;
    var badge = box.querySelector('.badge');
    var read = ++badgeReads;
    serverBridge(box.dataset.moduleKey, box.dataset.moduleKey + '/' + data.issue.id, data.contextExtension, 'dynamicProperties', null)
      .then(function (props) {
        if (read !== badgeReads) return;
        var label = props && props.status && props.status.value && props.status.value.label;
        badge.hidden = !label;
        badge.textContent = label ? String(label) : '';
      })
      .catch(function (err) { console.warn('[shell] issue context badge failed', err); });
  }

  var issueWatcher = (function () {
    var last = data.issue ? JSON.stringify({ updated: data.issue.updated }) : null;
    var lastLinks = null;
    var timer = null;
    function check() {
      timer = null;
      if (!data.issue) return;
      fetch('/__host/issue-state/' + encodeURIComponent(data.issue.key))
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (state) {
          if (!state) return;
          var linksNow = JSON.stringify(state.links);
          var stamp = JSON.stringify({ updated: state.updated });
          var changed = (lastLinks !== null && linksNow !== lastLinks) || stamp !== last;
          lastLinks = linksNow;
          last = stamp;
          if (!changed) return;
          renderLinks(state.links);
          // Not the badge: Jira documents reading it again only when the issue context is first
          // expanded and each time it is collapsed (setupContextBox), not when the issue changes.
          broadcast('JIRA_ISSUE_CHANGED', {
            issueId: data.issue.id,
            projectId: data.contextExtension.project.id,
            changes: [{ changeType: 'updated', atlassianId: data.user.accountId }],
          });
        })
        .catch(function () {});
    }
    if (data.issue) {
      check();
      setInterval(check, 5000);
    }
    return { soon: function () { if (data.issue && !timer) timer = setTimeout(check, 300); } };
  })();

  function setupContextBox() {
    var box = document.querySelector('.context-box');
    if (!box) return;
    var header = box.querySelector('.context-box__header');
    header.addEventListener('click', function () {
      var open = header.getAttribute('aria-expanded') !== 'true';
      header.setAttribute('aria-expanded', String(open));
      var existing = box.querySelector('iframe');
      if (open && !existing) box.append(box.querySelector('template').content.cloneNode(true));
      else if (existing) existing.hidden = !open;
      // As Jira documents for jira:issueContext: the dynamic properties are read on the first
      // render, when the box is first expanded, and again each time it is collapsed.
      if ((open && !existing) || !open) loadBadge();
    });
    // The collapsed box shows the badge from the start.
    loadBadge();
  }

  // ---- top bar -------------------------------------------------------------------------
  document.getElementById('user-switch').addEventListener('change', function (e) {
    setCookie('sandbox_user', e.target.value);
    window.location.reload();
  });

  // Like Jira, a theme change reloads the page, so every frame starts in the new mode
  // (the builds load only the token CSS for the mode they start in).
  document.getElementById('theme-toggle').addEventListener('click', function () {
    setCookie('sandbox_theme', colorMode === 'dark' ? 'light' : 'dark');
    window.location.reload();
  });

  setupContextBox();

  // The create dialog (create-dialog.js) adds its UI-modification handlers here.
  window.sandboxShell = {
    data: data,
    showFlag: showFlag,
    serverBridge: serverBridge,
    send: send,
    registerHandlers: function (handlers) { Object.assign(extraHandlers, handlers); },
    colorMode: function () { return colorMode; },
  };
})();
