// Espace administration: staff login, then a small console (session,
// statistics, staff accounts for admins, nickname deny-list for admins and
// moderators). The staff token lives in sessionStorage only.
import { h } from '../dom.js';
import { t, formatDateTime, formatDate, formatNumber, formatBytes } from '../i18n/index.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { errorText, errorField } from '../errors.js';
import { field, select, alertRegion, statusRegion, say, busy } from '../ui/form.js';
import { confirmDialog } from '../ui/dialog.js';
import { copyButton } from '../ui/copy.js';
import { usernameProblem, wordProblem } from '../validate.js';

const ROLES = ['admin', 'animator', 'moderator'];

function roleName(role) {
  return ROLES.includes(role) ? t(`admin.roleName.${role}`) : role;
}

export default function adminPage(app) {
  let notice = null; // catalogue key shown above the login form
  let data = null; // {session, stats, accounts, words}
  let loadError = null;
  let loading = false;
  let created = null; // {username, password}, shown once
  let status = null; // [key, vars] for the console's status line
  let denyOpen = false;
  let login = { username: '' };

  /** Handles a refused staff token; true when err was one. */
  function authFailed(err) {
    if (err.status !== 401) return false;
    session.clearStaff();
    data = null;
    created = null;
    notice = err.code === 'token_expired' ? 'admin.expired' : 'admin.invalidSession';
    app.rerender('#admin-notice');
    return true;
  }

  async function loadConsole(focusSelector) {
    const staff = session.staff();
    if (!staff) return;
    loading = true;
    loadError = null;
    try {
      const who = await api.adminSession(staff.token);
      const [stats, accounts, deny] = await Promise.all([
        api.adminStats(staff.token),
        who.role === 'admin' ? api.adminAccounts(staff.token) : null,
        who.role === 'admin' || who.role === 'moderator' ? api.adminDenylist(staff.token) : null,
      ]);
      session.setStaff({ ...staff, role: who.role, username: who.username, expires_at: who.expires_at });
      data = {
        session: who,
        stats,
        accounts: accounts ? accounts.accounts : null,
        words: deny ? deny.words : null,
      };
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
      await loadConsole('#admin-session-title');
    } catch (err) {
      busy(button, false);
      pass.control.value = '';
      say(alert, errorText(err, { invalid_credentials: 'admin.badLogin' }));
      pass.control.focus();
    }
  }

  async function logout() {
    const staff = session.staff();
    session.clearStaff();
    data = null;
    created = null;
    status = null;
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

  function section(id, titleKey, ...children) {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': id },
      h('h2', { id, tabindex: '-1' }, t(titleKey)),
      ...children,
    );
  }

  function facts(rows) {
    return h(
      'dl',
      { class: 'facts' },
      rows.map(([key, value, id]) => h('div', null, h('dt', null, t(key)), h('dd', { id }, value))),
    );
  }

  function table(captionKey, headKeys, rows, emptyKey) {
    if (!rows.length) return h('p', { class: 'muted' }, t(emptyKey));
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        null,
        h('caption', null, t(captionKey)),
        h('thead', null, h('tr', null, headKeys.map((k, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : null }, t(k))))),
        h(
          'tbody',
          null,
          rows.map(([label, n]) => h('tr', null, h('th', { scope: 'row' }, label), h('td', { class: 'num' }, formatNumber(n)))),
        ),
      ),
    );
  }

  function renderSession() {
    const s = data.session;
    return section(
      'admin-session-title',
      'admin.sessionTitle',
      facts([
        ['admin.account', s.username, 'admin-username'],
        ['admin.role', roleName(s.role), 'admin-role'],
        ['admin.expires', formatDateTime(s.expires_at), 'admin-expires'],
      ]),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button button-secondary', onclick: logout }, t('admin.logout'))),
    );
  }

  function renderStats() {
    const s = data.stats;
    const hoods = Object.entries(s.neighbourhoods || {});
    const days = Object.entries(s.registrations_by_day || {}).sort((a, b) => (a[0] < b[0] ? 1 : -1));
    return section(
      'admin-stats-title',
      'admin.statsTitle',
      facts([
        ['admin.participants', formatNumber(s.participants), 'stat-participants'],
        ['admin.admins', formatNumber(s.admins), 'stat-admins'],
        ['admin.sessions', formatNumber(s.sessions), 'stat-sessions'],
        ['admin.dbSize', formatBytes(s.lmdb_size_bytes), 'stat-db'],
      ]),
      table('admin.byNeighbourhood', ['admin.neighbourhood', 'admin.count'], hoods, 'admin.noNeighbourhoods'),
      table(
        'admin.byDay',
        ['admin.day', 'admin.registrations'],
        days.map(([d, n]) => [formatDate(d, 'medium'), n]),
        'admin.noRegistrations',
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', class: 'button button-secondary', onclick: () => loadConsole('#admin-stats-title') },
          t('admin.refresh'),
        ),
      ),
    );
  }

  function renderCreated() {
    if (!created) return null;
    const status = statusRegion();
    const secret = h('p', { class: 'secret-code secret-password', translate: 'no' }, created.password);
    return h(
      'div',
      { class: 'secret-box', id: 'admin-created', tabindex: '-1' },
      h('p', null, t('admin.created', { username: created.username })),
      secret,
      h('p', null, t('admin.passwordOnce')),
      h('div', { class: 'actions' }, copyButton({ source: secret, labelKey: 'admin.copyPassword', doneKey: 'admin.copied', status })),
      status,
    );
  }

  function renderAccounts() {
    const me = data.session.username;
    const alert = alertRegion();
    const rows = data.accounts.map((a) => {
      const del =
        a.username === me
          ? h('span', { class: 'muted' }, t('admin.you'))
          : h(
              'button',
              {
                type: 'button',
                class: 'button button-small button-danger',
                'aria-label': t('admin.deleteAccountLabel', { username: a.username }),
                onclick: async () => {
                  const ok = await confirmDialog({
                    title: t('admin.deleteAccountTitle', { username: a.username }),
                    text: t('admin.deleteAccountText'),
                    confirmLabel: t('admin.deleteAccountConfirm'),
                    danger: true,
                  });
                  if (!ok) return;
                  const done = await act((tok) => api.adminDeleteAccount(tok, a.username), (err) => say(alert, errorText(err)));
                  if (done) {
                    created = null;
                    status = ['admin.accountDeleted', { username: a.username }];
                    await loadConsole('#admin-status');
                  }
                },
              },
              t('admin.deleteAccount'),
            );
      return h(
        'tr',
        null,
        h('th', { scope: 'row' }, a.username),
        h('td', null, roleName(a.role)),
        h('td', null, formatDate(a.created_at, 'medium')),
        h('td', null, del),
      );
    });
    const username = field({
      labelKey: 'admin.username',
      hintKey: 'admin.newUsernameHint',
      control: h('input', {
        type: 'text',
        name: 'username',
        autocomplete: 'off',
        autocapitalize: 'none',
        spellcheck: 'false',
        maxlength: '32',
        required: true,
      }),
    });
    const role = field({
      labelKey: 'admin.role',
      control: select(
        'role',
        ROLES.map((r) => ({ value: r, label: roleName(r) })),
        'moderator',
      ),
    });
    const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.create'));
    const onsubmit = async (event) => {
      event.preventDefault();
      say(alert, null);
      username.setError(null);
      const name = username.control.value.trim();
      const problem = usernameProblem(name);
      if (problem) {
        username.setError(t(problem));
        username.control.focus();
        return;
      }
      busy(button, true, 'admin.creating');
      let res = null;
      const done = await act(
        async (tok) => {
          res = await api.adminCreateAccount(tok, name, role.control.value);
        },
        (err) => {
          busy(button, false);
          if (errorField(err) === 'username' || err.code === 'username_taken') {
            username.setError(errorText(err));
            username.control.focus();
          } else {
            say(alert, errorText(err));
          }
        },
      );
      if (done) {
        created = { username: res.username, password: res.password };
        status = null;
        await loadConsole('#admin-created');
      }
    };
    return section(
      'admin-accounts-title',
      'admin.accountsTitle',
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          null,
          h('caption', { class: 'visually-hidden' }, t('admin.accountsTitle')),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['admin.username', 'admin.role', 'admin.createdAt', 'admin.actions'].map((k) => h('th', { scope: 'col' }, t(k))),
            ),
          ),
          h('tbody', null, rows),
        ),
      ),
      renderCreated(),
      h(
        'form',
        { class: 'form form-inline', novalidate: true, 'aria-labelledby': 'admin-create-title', onsubmit },
        h('h3', { id: 'admin-create-title' }, t('admin.createTitle')),
        username.el,
        role.el,
        alert,
        h('div', { class: 'actions' }, button),
      ),
    );
  }

  function renderDenylist() {
    const alert = alertRegion();
    const words = data.words.slice().sort();
    const list = words.length
      ? h(
          'ul',
          { class: 'chips' },
          words.map((w) =>
            h(
              'li',
              null,
              h('span', { translate: 'no' }, w),
              h(
                'button',
                {
                  type: 'button',
                  class: 'chip-remove',
                  'aria-label': t('admin.denyRemoveLabel', { word: w }),
                  onclick: async () => {
                    const done = await act((tok) => api.adminDenyRemove(tok, w), (err) => say(alert, errorText(err)));
                    if (done) {
                      status = ['admin.denyRemoved', { word: w }];
                      await loadConsole('#admin-status');
                    }
                  },
                },
                t('admin.denyRemove'),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('admin.denyEmpty'));
    const details = h(
      'details',
      { open: denyOpen },
      h('summary', null, t('admin.denyShow', { count: formatNumber(words.length) })),
      list,
    );
    details.addEventListener('toggle', () => {
      denyOpen = details.open;
    });
    const word = field({
      labelKey: 'admin.denyWord',
      hintKey: 'admin.denyWordHint',
      control: h('input', { type: 'text', name: 'word', maxlength: '32', autocomplete: 'off', spellcheck: 'false', required: true }),
    });
    const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.denyAdd'));
    const onsubmit = async (event) => {
      event.preventDefault();
      say(alert, null);
      word.setError(null);
      const value = word.control.value.trim();
      const problem = wordProblem(value);
      if (problem) {
        word.setError(t(problem));
        word.control.focus();
        return;
      }
      busy(button, true, 'admin.denyAdd');
      let res = null;
      const done = await act(
        async (tok) => {
          res = await api.adminDenyAdd(tok, value);
        },
        (err) => {
          busy(button, false);
          word.setError(errorText(err));
          word.control.focus();
        },
      );
      if (done) {
        denyOpen = true;
        status = ['admin.denyAdded', { word: res && res.word ? res.word : value }];
        await loadConsole('input[name="word"]');
      }
    };
    return section(
      'admin-deny-title',
      'admin.denyTitle',
      h('p', null, t('admin.denyIntro')),
      details,
      h('form', { class: 'form form-inline', novalidate: true, onsubmit }, word.el, alert, h('div', { class: 'actions' }, button)),
    );
  }

  function renderConsole() {
    const statusEl = statusRegion();
    statusEl.id = 'admin-status';
    statusEl.tabIndex = -1;
    if (status) say(statusEl, t(status[0], status[1]));
    return h(
      'div',
      { class: 'page page-admin' },
      h('h1', null, t('admin.title')),
      statusEl,
      renderSession(),
      renderStats(),
      data.accounts ? renderAccounts() : null,
      data.words ? renderDenylist() : null,
    );
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
    if (!data) {
      if (!loading) loadConsole();
      return h('div', { class: 'page page-admin' }, h('h1', null, t('admin.title')), h('p', { role: 'status' }, t('common.loading')));
    }
    return renderConsole();
  }

  return { title: () => t('admin.title'), render };
}
