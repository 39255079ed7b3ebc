// The shell's "Create issue" dialog. Like Jira's Global Issue Create, it runs the
// app's jira:uiModifications resource in a hidden frame: the frame reads the form
// through onInit / onChange (fired when summary or description loses focus) and
// answers with field changes, of which the dialog applies the field description
// (where the app writes "Possible duplicates: ..."), value, visibility and
// read-only state. Submitting creates the issue in the stand-in as the user.
(function () {
  'use strict';
  var shell = window.sandboxShell;
  var module = shell.data.createModule;
  var dialog = null;
  var frame = null;
  var meta = null;
  var changeCount = 0;
  var form = null;
  var lastSent = {};
  // The changes sent to the app that it has not answered yet (its submit names the change it
  // answers), counted on the dialog as data-uim-unanswered, so a test can wait for the app
  // to be done with what was typed rather than for a while.
  var unanswered = {};

  function countUnanswered() {
    if (dialog) dialog.dataset.uimUnanswered = String(Object.keys(unanswered).length);
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }

  function field(label, control, help) {
    return el('label', { class: 'form-field' }, [el('span', { text: label }), control].concat(help ? [help] : []));
  }

  function selectedProject() {
    return meta.projects.find(function (p) { return p.key === form.project.value; });
  }

  function selectedType() {
    var project = selectedProject();
    return project && project.issueTypes.find(function (t) { return t.id === form.type.value; });
  }

  function fillTypes() {
    var project = selectedProject();
    form.type.textContent = '';
    (project ? project.issueTypes : []).forEach(function (t) {
      form.type.append(el('option', { value: t.id, text: t.name }));
    });
  }

  function formState() {
    var project = selectedProject();
    var type = selectedType();
    function state(id, type_, name, value, input) {
      return {
        fieldId: id, fieldType: type_, fieldName: name, value: value,
        description: input ? input.dataset.uimDescription || '' : '',
        isVisible: input ? !input.closest('.form-field').hidden : true,
        isReadOnly: input ? input.readOnly : true,
        isRequired: id === 'summary' || id === 'project' || id === 'issuetype',
      };
    }
    return {
      project: state('project', 'project', 'Project', project ? { id: project.id, key: project.key, name: project.name } : null),
      issuetype: state('issuetype', 'issuetype', 'Issue type', type ? { id: type.id, name: type.name } : null),
      summary: state('summary', 'summary', 'Summary', form.summary.value, form.summary),
      description: state('description', 'description', 'Description', form.description.value, form.description),
    };
  }

  function extension() {
    var project = selectedProject();
    var type = selectedType();
    return {
      project: project ? { id: project.id, key: project.key, type: 'software' } : null,
      issueType: type ? { id: type.id, name: type.name } : null,
      viewType: 'GIC',
    };
  }

  function applyChanges(changes) {
    var fields = (changes && changes.fieldsChanges) || {};
    Object.keys(fields).forEach(function (id) {
      var input = form[id === 'issuetype' ? 'type' : id];
      if (!input) return;
      var change = fields[id];
      if ('description' in change) {
        input.dataset.uimDescription = change.description || '';
        var help = input.closest('.form-field').querySelector('.form-field__help');
        if (help) help.textContent = change.description || '';
      }
      if ('value' in change && typeof change.value === 'string') input.value = change.value;
      if ('isVisible' in change) input.closest('.form-field').hidden = !change.isVisible;
      if ('isReadOnly' in change) input.readOnly = !!change.isReadOnly;
    });
  }

  // (Re)starts the UI modification for the chosen project and issue type, as Jira
  // does when either changes, and only where the app registered one for them.
  var registered = [];
  var generation = 0;
  // Started again for another project or issue type: Jira's documented answer to that is onInit
  // (called again, reading the form as it is), not an onChange for fields already filled in.
  var restarted = false;
  function startFrame(again) {
    restarted = again === true;
    if (frame) frame.remove();
    frame = null;
    lastSent = {};
    unanswered = {};
    countUnanswered();
    if (dialog) {
      delete dialog.dataset.uimReady;
      delete dialog.dataset.uiModifications;
    }
    // A new project or type starts from the fields' own state, not the last app's edits.
    applyChanges({ fieldsChanges: { summary: { description: '' }, description: { description: '' } } });
    var project = selectedProject();
    var type = selectedType();
    var mine = ++generation;
    var query = '?projectId=' + encodeURIComponent(project ? project.id : '') + '&issueTypeId=' + encodeURIComponent(type ? type.id : '');
    fetch('/__host/ui-modifications' + query)
      .then(function (res) { return res.json(); })
      .then(function (answer) {
        if (mine !== generation || !dialog) return;
        registered = answer.uiModifications || [];
        dialog.dataset.uiModifications = String(registered.length);
        if (registered.length === 0) return;
        frame = el('iframe', {
          class: 'forge-frame forge-frame--hidden',
          title: 'UI modification',
          'aria-hidden': 'true',
          'data-testid': 'create-check-frame',
          'data-module-key': module.key,
          'data-local-id': module.key + '/gic',
          'data-extension': JSON.stringify(extension()),
          src: '/static/' + module.resource + '/',
        });
        dialog.append(frame);
      });
  }

  function fireChange(fieldId) {
    var value = form[fieldId].value;
    if ((lastSent[fieldId] || '') === value || !frame) return;
    lastSent[fieldId] = value;
    changeCount += 1;
    var changeId = 'change-' + changeCount;
    unanswered[changeId] = true;
    countUnanswered();
    shell.send(frame, {
      push: 'uim-change',
      change: {
        changedFieldId: fieldId,
        changeId: changeId,
        currentFormState: formState(),
        currentScreenTabsState: [],
        uiModifications: registered,
      },
    });
  }

  shell.registerHandlers({
    'uim.init': function () {
      changeCount += 1;
      return { uiModifications: registered, onInitChangeId: 'init-' + changeCount };
    },
    // The app listens now: fields someone already filled in and left count as changed.
    'uim.subscribed': function () {
      dialog.dataset.uimReady = 'true';
      ['summary', 'description'].forEach(function (id) {
        if (restarted) lastSent[id] = form[id].value;
        else if (document.activeElement !== form[id]) fireChange(id);
      });
      return true;
    },
    'uim.getOnInitData': function () { return { currentFormState: formState(), currentScreenTabsState: [] }; },
    'uim.registerFields': function () { return true; },
    'uim.submit': function (_frame, changes) {
      applyChanges(changes);
      if (changes && typeof changes.changeId === 'string') delete unanswered[changes.changeId];
      countUnanswered();
      return true;
    },
  });

  function close() {
    if (dialog) dialog.closest('.modal-backdrop').remove();
    document.removeEventListener('keydown', onKeyDown);
    dialog = null;
    frame = null;
    // Back to the button that opened it, as Jira's dialogs do.
    var opener = document.getElementById('create-button');
    if (opener) opener.focus();
  }

  // Escape closes the dialog, as it does Jira's.
  function onKeyDown(e) {
    if (e.key === 'Escape' && dialog) {
      e.preventDefault();
      close();
    }
  }

  function submit(e) {
    e.preventDefault();
    var error = dialog.querySelector('.form-error');
    error.textContent = '';
    var body = {
      projectKey: form.project.value,
      issueTypeId: form.type.value,
      summary: form.summary.value.trim(),
      description: form.description.value,
    };
    if (!body.summary) { error.textContent = 'Summary is required.'; return; }
    form.submit.disabled = true;
    fetch('/__host/create-issue', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (res) { return res.json().then(function (json) { return { ok: res.ok, json: json }; }); })
      .then(function (r) {
        if (!r.ok) throw new Error(r.json.error || 'Jira did not create the issue.');
        close();
        shell.showFlag({ id: 'created-' + r.json.key, type: 'success', title: 'Issue created', description: r.json.key + ' was created.' });
        var link = el('a', { href: '/browse/' + r.json.key, 'data-testid': 'created-issue-link', text: 'View ' + r.json.key });
        var flag = document.querySelector('[data-flag-id="created-' + r.json.key + '"]');
        if (flag) flag.append(link);
      })
      .catch(function (err) {
        error.textContent = err.message;
        form.submit.disabled = false;
      });
  }

  function open() {
    if (dialog) return;
    form = {
      project: el('select', { name: 'project', 'data-testid': 'create-project' }),
      type: el('select', { name: 'issuetype', 'data-testid': 'create-type' }),
      // Jira's summary field takes at most 255 characters.
      summary: el('input', { name: 'summary', type: 'text', autocomplete: 'off', maxlength: '255', 'data-testid': 'create-summary' }),
      description: el('textarea', { name: 'description', rows: '6', 'data-testid': 'create-description' }),
      submit: el('button', { type: 'submit', class: 'button button--primary', 'data-testid': 'create-submit', text: 'Create' }),
    };
    var summaryHelp = el('div', { class: 'form-field__help', 'data-testid': 'summary-description', 'aria-live': 'polite' });
    var descriptionHelp = el('div', { class: 'form-field__help' });
    var cancel = el('button', { type: 'button', class: 'button', text: 'Cancel' });
    cancel.onclick = close;
    dialog = el('form', { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Create issue', 'data-testid': 'create-dialog' }, [
      el('h2', { text: 'Create issue' }),
      field('Project', form.project),
      field('Issue type', form.type),
      field('Summary', form.summary, summaryHelp),
      field('Description', form.description, descriptionHelp),
      el('p', { class: 'form-error', role: 'alert' }),
      el('div', { class: 'modal__actions' }, [cancel, form.submit]),
    ]);
    dialog.addEventListener('submit', submit);
    document.addEventListener('keydown', onKeyDown);
    document.body.append(el('div', { class: 'modal-backdrop' }, [dialog]));
    form.summary.addEventListener('blur', function () { fireChange('summary'); });
    form.description.addEventListener('blur', function () { fireChange('description'); });
    form.project.addEventListener('change', function () { fillTypes(); startFrame(true); });
    form.type.addEventListener('change', function () { startFrame(true); });

    var load = meta ? Promise.resolve(meta) : fetch('/__host/create-meta').then(function (r) { return r.json(); });
    load.then(function (m) {
      meta = m;
      meta.projects.forEach(function (p) { form.project.append(el('option', { value: p.key, text: p.name + ' (' + p.key + ')' })); });
      if (shell.data.projectKey) form.project.value = shell.data.projectKey;
      fillTypes();
      startFrame();
      form.summary.focus();
    });
  }

  document.getElementById('create-button').addEventListener('click', open);
})();
