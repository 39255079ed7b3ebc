// The `window.__bridge` a Custom UI page expects from its host, as the sandbox shell
// provides it. It is inlined as the first <script> of each framed build so it exists
// before @forge/bridge (which reads it at import time) runs.
//
// Commands whose payload or answer carries functions (event callbacks, the history
// object, the UI-modifications actions) cannot cross postMessage, so they are built
// here, inside the frame; every other command goes to the parent shell and back.
(function () {
  'use strict';
  var TAG = '__sandboxBridge';
  var pending = new Map();
  var nextId = 1;
  var eventListeners = [];
  var historyListeners = [];
  var uimChangeListeners = [];
  var historyState = null;
  var currentHistory = null;

  function ask(command, payload) {
    var id = nextId++;
    return new Promise(function (resolve, reject) {
      pending.set(id, { resolve: resolve, reject: reject });
      var message = { [TAG]: 1, id: id, command: command, payload: payload };
      try {
        window.parent.postMessage(message, '*');
      } catch (_err) {
        // Functions (e.g. flag action callbacks) cannot be cloned: send the data part.
        message.payload = payload === undefined ? undefined : JSON.parse(JSON.stringify(payload));
        window.parent.postMessage(message, '*');
      }
    });
  }

  function tell(push, data) {
    window.parent.postMessage(Object.assign({ [TAG]: 1, push: push }, data), '*');
  }

  function applyTheme(colorMode) {
    var root = document.documentElement;
    root.setAttribute('data-color-mode', colorMode);
    root.setAttribute('data-theme', colorMode + ':' + colorMode + ' spacing:spacing typography:typography');
  }

  function makeHistory(initial) {
    historyState = { pathname: initial.pathname || '/', search: initial.search || '', hash: '', state: null, key: 'initial' };
    function toLocation(to, state) {
      if (typeof to === 'string') {
        var url = new URL(to, 'http://frame' + historyState.pathname);
        return { pathname: url.pathname, search: url.search, hash: url.hash, state: state === undefined ? null : state };
      }
      return { pathname: to.pathname || historyState.pathname, search: to.search || '', hash: to.hash || '', state: to.state === undefined ? null : to.state };
    }
    function change(action, location) {
      location.key = Math.random().toString(36).slice(2, 10);
      history.location = location;
      history.action = action;
      historyState = location;
      tell('history', { action: action, location: { pathname: location.pathname, search: location.search, hash: location.hash } });
      historyListeners.slice().forEach(function (fn) { fn(location, action); });
    }
    var history = {
      location: historyState,
      action: 'POP',
      length: 1,
      push: function (to, state) { change('PUSH', toLocation(to, state)); },
      replace: function (to, state) { change('REPLACE', toLocation(to, state)); },
      go: function (n) { tell('history-go', { delta: n }); },
      back: function () { tell('history-go', { delta: -1 }); },
      goBack: function () { tell('history-go', { delta: -1 }); },
      forward: function () { tell('history-go', { delta: 1 }); },
      goForward: function () { tell('history-go', { delta: 1 }); },
      listen: function (fn) {
        historyListeners.push(fn);
        return function () { historyListeners = historyListeners.filter(function (f) { return f !== fn; }); };
      },
      block: function () { return function () {}; },
      createHref: function (to) { return typeof to === 'string' ? to : (to.pathname || '') + (to.search || '') + (to.hash || ''); },
    };
    currentHistory = history;
    return history;
  }

  function uiModificationsApi(init) {
    return {
      actions: {
        getOnInitData: function () { return ask('uim.getOnInitData'); },
        submit: function (changes) { return ask('uim.submit', changes); },
        registerFields: function (fields) { return ask('uim.registerFields', fields); },
        subscribeToChanges: function (fn) { uimChangeListeners.push(fn); return ask('uim.subscribed'); },
        subscribeToErrors: function () { return Promise.resolve(); },
        onBridgeError: function (problem) { tell('log', { level: 'warn', message: 'uim bridge error: ' + String(problem && problem.error) }); },
      },
      data: init,
    };
  }

  var local = {
    on: function (payload) {
      eventListeners.push(payload);
      return Promise.resolve({
        unsubscribe: function () { eventListeners = eventListeners.filter(function (l) { return l !== payload; }); },
      });
    },
    createHistory: function () { return ask('history.initial').then(makeHistory); },
    enableTheming: function () { return ask('theme.get').then(function (t) { applyTheme(t.colorMode); }); },
    getUiModificationsInternalAPI: function () { return ask('uim.init').then(uiModificationsApi); },
  };

  window.addEventListener('message', function (e) {
    var m = e.data;
    if (e.source !== window.parent || !m || m[TAG] !== 1) return;
    if (m.id !== undefined) {
      var p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(Object.assign(new Error(m.error || 'Bridge call failed'), { name: 'BridgeAPIError' }));
      return;
    }
    if (m.push === 'event') {
      eventListeners.filter(function (l) { return l.event === m.event; })
        .forEach(function (l) { l.callback(m.payload); });
    } else if (m.push === 'history-pop') {
      var loc = Object.assign({ state: null, key: 'pop' }, m.location);
      historyState = loc;
      // Back and Forward move the history object's own location too, as they do in Jira.
      if (currentHistory) {
        currentHistory.location = loc;
        currentHistory.action = 'POP';
      }
      historyListeners.slice().forEach(function (fn) { fn(loc, 'POP'); });
    } else if (m.push === 'uim-change') {
      uimChangeListeners.forEach(function (fn) { fn(m.change); });
    } else if (m.push === 'flag-action') {
      var fns = flagActions.get(String(m.flagId)) || [];
      var fn = fns[m.index];
      if (typeof fn === 'function') fn();
    }
  });

  // Forge sizes panels to their content; the shell does the same from these reports.
  // The content's height is the lowest bottom edge of the body's children: the body
  // itself may be stretched to the frame, which would never let the frame shrink or grow.
  var lastHeight = 0;
  var scheduled = false;
  function contentHeight() {
    var body = document.body;
    var bottom = 0;
    Array.prototype.forEach.call(body.children, function (child) {
      if (child.tagName === 'SCRIPT' || child.tagName === 'STYLE') return;
      var margin = parseFloat(getComputedStyle(child).marginBottom) || 0;
      bottom = Math.max(bottom, child.getBoundingClientRect().bottom + margin);
    });
    var style = getComputedStyle(body);
    return Math.ceil(bottom + window.scrollY + (parseFloat(style.paddingBottom) || 0) + (parseFloat(style.marginBottom) || 0));
  }
  function reportHeight() {
    scheduled = false;
    if (!document.body) return;
    var h = contentHeight();
    if (h !== lastHeight) { lastHeight = h; tell('resize', { height: h }); }
  }
  function scheduleReport() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(reportHeight);
  }
  window.addEventListener('load', function () {
    scheduleReport();
    new MutationObserver(scheduleReport).observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
    window.addEventListener('resize', scheduleReport);
  });

  // A flag's actions are functions, which cannot cross to the shell: the shell gets their
  // words and gives back which one was clicked, and the frame calls it (as Jira's bridge does).
  var flagActions = new Map();
  function showFlagWithActions(payload) {
    var actions = (payload && payload.actions) || [];
    flagActions.set(String(payload.id), actions.map(function (a) { return a.onClick; }));
    var data = Object.assign({}, payload, { actions: actions.map(function (a) { return { text: String(a.text) }; }) });
    return ask('showFlag', data);
  }

  window.__bridge = {
    callBridge: function (command, payload) {
      if (Object.prototype.hasOwnProperty.call(local, command)) return local[command](payload);
      if (command === 'showFlag') return showFlagWithActions(payload);
      return ask(command, payload);
    },
  };
})();
