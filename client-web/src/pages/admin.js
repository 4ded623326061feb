// Espace administration: staff login, then a console of collapsible panels.
// Each panel is shown only to the roles the node's route table allows
// (docs/api.md, "Admin routes"), loads its data when it is opened and redraws
// only itself, so typing in one panel is never lost to another's answer.
// The staff token lives in sessionStorage only.
import './admin/messages.js';
import { h, replaceChildren } from '../dom.js';
import { t } from '../i18n/index.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { errorText } from '../errors.js';
import { field, alertRegion, statusRegion, say, busy } from '../ui/form.js';
import { roleName } from './admin/common.js';
import sessionPanel from './admin/session.js';
import passwordPanel from './admin/password.js';
import statsPanel from './admin/stats.js';
import participantsPanel from './admin/participants.js';
import denylistPanel from './admin/denylist.js';
import accountsPanel from './admin/accounts.js';
import cityPanel from './admin/city.js';
import auditPanel from './admin/audit.js';
import teamsPanel from './admin/teams.js';
import cataloguePanel from './admin/catalogue.js';
import referencesPanel from './admin/references.js';
import workshopsPanel from './admin/workshops.js';

const ANY = ['admin', 'animator', 'moderator'];
const MODERATION = ['admin', 'moderator'];
const ADMIN = ['admin'];

const PANELS = [
  { id: 'session', titleKey: 'admin.sessionTitle', roles: ANY, make: sessionPanel },
  { id: 'stats', titleKey: 'admin.statsTitle', roles: ANY, make: statsPanel },
  // Animators and admins run workshops; moderators moderate them live.
  { id: 'workshops', titleKey: 'admin.ws.title', roles: ANY, make: workshopsPanel },
  { id: 'participants', titleKey: 'admin.participantsTitle', roles: MODERATION, make: participantsPanel },
  { id: 'deny', titleKey: 'admin.denyTitle', roles: MODERATION, make: denylistPanel },
  { id: 'teams', titleKey: 'admin.teamsTitle', roles: MODERATION, make: teamsPanel },
  // Every role reads the catalogue; only admins see its edit controls.
  { id: 'catalogue', titleKey: 'admin.catalogueTitle', roles: ANY, make: cataloguePanel },
  { id: 'references', titleKey: 'admin.refsTitle', roles: ADMIN, make: referencesPanel },
  { id: 'accounts', titleKey: 'admin.accountsTitle', roles: ADMIN, make: accountsPanel },
  { id: 'city', titleKey: 'admin.cityTitle', roles: ADMIN, make: cityPanel },
  { id: 'audit', titleKey: 'admin.auditTitle', roles: ADMIN, make: auditPanel },
  { id: 'password', titleKey: 'admin.passwordTitle', roles: ANY, make: passwordPanel },
];

// Which panels are open, kept while the tab lives (leaving #/admin and coming back).
const openPanels = new Set(['session']);

export default function adminPage(app) {
  let notice = null; // catalogue key shown above the login form
  let who = null; // GET /admin/session
  let panels = null; // [{def, impl, open, loading, loaded, error, content, status, message}]
  let loadError = null;
  let loading = false;
  let login = { username: '' };

  /** Handles a refused staff session; true when err was one. A wrong password is not. */
  function authFailed(err) {
    if (err.status !== 401 || err.code === 'invalid_credentials') return false;
    leavePanels();
    session.clearStaff();
    who = null;
    panels = null;
    notice = err.code === 'token_expired' ? 'admin.expired' : 'admin.invalidSession';
    app.rerender('#admin-notice');
    return true;
  }

  /** Runs fn(token); onError(err) for a refusal other than a dead session. */
  async function act(fn, onError) {
    const staff = session.staff();
    if (!staff) {
      authFailed({ status: 401, code: 'invalid_token' });
      return false;
    }
    try {
      await fn(staff.token);
      return true;
    } catch (err) {
      if (!authFailed(err)) onError(err);
      return false;
    }
  }

  // --- panels ---------------------------------------------------------------

  function focusIn(p, selector) {
    if (!selector || !p.content || !p.content.isConnected) return;
    const el = p.content.parentElement.querySelector(selector);
    if (el) el.focus();
  }

  function panelContent(p) {
    if (p.error) {
      return [
        h('div', { class: 'notice notice-error', role: 'alert' }, errorText(p.error)),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: 'button button-secondary', onclick: () => loadPanel(p) }, t('common.retry')),
        ),
      ];
    }
    if (!p.loaded) return h('p', { class: 'loading' }, t('common.loading'));
    return p.impl.render();
  }

  function redraw(p, selector) {
    if (!p.content || !p.content.isConnected) return;
    replaceChildren(p.content, panelContent(p));
    focusIn(p, selector);
  }

  async function loadPanel(p, selector) {
    if (!p.impl.load) {
      p.loaded = true;
      redraw(p, selector);
      return;
    }
    p.loading = true;
    // What is shown stays until the new answer replaces it (no flash of "loading").
    if (p.error) {
      p.error = null;
      redraw(p);
    }
    const ok = await act(
      (tok) => p.impl.load(tok),
      (err) => {
        p.error = err;
      },
    );
    p.loading = false;
    if (ok) p.loaded = true;
    if (panels && panels.includes(p)) redraw(p, selector);
  }

  function makePanel(def) {
    const p = { def, open: openPanels.has(def.id), loading: false, loaded: false, error: null, message: null };
    const statusId = `panel-${def.id}-status`;
    const ctx = {
      me: who,
      act,
      app,
      statusSelector: `#${statusId}`,
      redraw: (selector) => redraw(p, selector),
      reload: (selector) => loadPanel(p, selector),
      /** Sets (or clears, with no key) the panel's status line, announced politely. */
      say(key, vars) {
        p.message = key ? [key, vars] : null;
        if (p.status) say(p.status, key ? t(key, vars) : null);
      },
    };
    p.statusId = statusId;
    p.impl = def.make(ctx);
    p.loaded = !p.impl.load; // a panel with nothing to fetch is ready at once
    return p;
  }

  function toggle(p, button, body) {
    p.open = !p.open;
    if (p.open) openPanels.add(p.def.id);
    else openPanels.delete(p.def.id);
    button.setAttribute('aria-expanded', String(p.open));
    body.hidden = !p.open;
    if (p.open && !p.loading) loadPanel(p);
  }

  function renderPanel(p) {
    const bodyId = `panel-${p.def.id}`;
    const toggleId = `${bodyId}-toggle`;
    p.status = statusRegion();
    p.status.id = p.statusId;
    p.status.tabIndex = -1;
    if (p.message) say(p.status, t(p.message[0], p.message[1]));
    p.content = h('div', { class: 'panel-content' }, panelContent(p));
    const body = h('div', { id: bodyId, class: 'panel-body', hidden: !p.open }, p.status, p.content);
    const button = h(
      'button',
      { type: 'button', id: toggleId, class: 'panel-toggle', 'aria-expanded': String(p.open), 'aria-controls': bodyId },
      t(p.def.titleKey),
    );
    button.addEventListener('click', () => toggle(p, button, body));
    return h('section', { class: 'card panel', 'aria-labelledby': toggleId }, h('h2', { class: 'panel-title' }, button), body);
  }

  /** Lets panels stop what runs in the background (a live workshop's connection). */
  function leavePanels() {
    if (panels) for (const p of panels) if (p.impl.leave) p.impl.leave();
  }

  // --- session --------------------------------------------------------------

  async function loadConsole(focusSelector) {
    const staff = session.staff();
    if (!staff) return;
    loading = true;
    loadError = null;
    try {
      who = await api.adminSession(staff.token);
      session.setStaff({ ...staff, role: who.role, username: who.username, expires_at: who.expires_at });
      panels = PANELS.filter((d) => d.roles.includes(who.role)).map(makePanel);
    } catch (err) {
      loading = false;
      if (authFailed(err)) return;
      loadError = err;
    }
    loading = false;
    app.rerender(focusSelector);
  }

  async function submitLogin(event, user, pass, alert, button) {
    event.preventDefault();
    say(alert, null);
    user.setError(null);
    pass.setError(null);
    const username = user.control.value.trim();
    const password = pass.control.value;
    if (!username) user.setError(t('validation.required'));
    if (!password) pass.setError(t('validation.required'));
    if (!username || !password) {
      (username ? pass : user).control.focus();
      return;
    }
    busy(button, true, 'admin.loggingIn');
    try {
      const res = await api.adminLogin(username, password);
      session.setStaff({ token: res.token, role: res.role, username: res.username, expires_at: res.expires_at });
      notice = null;
      login = { username: '' };
      await loadConsole('#admin-who');
    } catch (err) {
      busy(button, false);
      pass.control.value = '';
      say(alert, errorText(err, { invalid_credentials: 'admin.badLogin' }));
      pass.control.focus();
    }
  }

  async function logout() {
    const staff = session.staff();
    leavePanels();
    session.clearStaff();
    who = null;
    panels = null;
    notice = 'admin.loggedOut';
    if (staff) {
      try {
        await api.adminLogout(staff.token);
      } catch {
        // The session is gone from this tab either way; an expired one needs no revoking.
      }
    }
    app.rerender('#admin-notice');
  }

  function renderLogin() {
    const user = field({
      labelKey: 'admin.username',
      control: h('input', {
        type: 'text',
        name: 'username',
        value: login.username,
        autocomplete: 'username',
        autocapitalize: 'none',
        spellcheck: 'false',
        required: true,
        oninput: (e) => {
          login.username = e.target.value;
        },
      }),
    });
    const pass = field({
      labelKey: 'admin.password',
      control: h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true }),
    });
    const alert = alertRegion();
    const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.login'));
    const noticeEl = h('div', {
      id: 'admin-notice',
      tabindex: '-1',
      class: ['notice', notice === 'admin.loggedOut' ? 'notice-ok' : 'notice-error'],
      role: notice === 'admin.loggedOut' ? 'status' : 'alert',
      hidden: !notice,
    });
    if (notice) noticeEl.textContent = t(notice);
    return h(
      'div',
      { class: 'page page-admin' },
      h('h1', null, t('admin.title')),
      h('p', { class: 'lead' }, t('admin.loginIntro')),
      noticeEl,
      h(
        'form',
        { class: 'card form', novalidate: true, onsubmit: (e) => submitLogin(e, user, pass, alert, button) },
        user.el,
        pass.el,
        alert,
        h('div', { class: 'actions' }, button),
      ),
    );
  }

  function renderConsole() {
    const page = h(
      'div',
      { class: 'page page-admin' },
      h('h1', null, t('admin.title')),
      h(
        'div',
        { class: 'console-bar' },
        h('p', { id: 'admin-who', tabindex: '-1' }, t('admin.signedInAs', { username: who.username, role: roleName(who.role) })),
        h('button', { type: 'button', class: 'button button-secondary button-small', onclick: logout }, t('admin.logout')),
      ),
      panels.map(renderPanel),
    );
    // Open panels that have nothing yet load once the page is in the document.
    for (const p of panels) if (p.open && !p.loaded && !p.loading && !p.error) queueMicrotask(() => loadPanel(p));
    return page;
  }

  function render() {
    if (!session.staff()) return renderLogin();
    if (loadError) {
      return h(
        'div',
        { class: 'page page-admin' },
        h('h1', null, t('admin.title')),
        h('div', { class: 'notice notice-error', role: 'alert' }, errorText(loadError)),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: 'button button-secondary', onclick: () => loadConsole() }, t('common.retry')),
          h('button', { type: 'button', class: 'button button-secondary', onclick: logout }, t('admin.logout')),
        ),
      );
    }
    if (!who || !panels) {
      if (!loading) loadConsole();
      return h('div', { class: 'page page-admin' }, h('h1', null, t('admin.title')), h('p', { role: 'status' }, t('common.loading')));
    }
    return renderConsole();
  }

  return { title: () => t('admin.title'), render, leave: leavePanels };
}
