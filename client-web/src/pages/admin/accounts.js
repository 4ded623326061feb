// "Comptes de l'équipe" (admins): the staff accounts, a role change and a
// deletion per account (never one's own), and a form creating an account
// whose generated password is shown once.
import { h } from '../../dom.js';
import { t, formatDate } from '../../i18n/index.js';
import { api } from '../../api.js';
import { errorField } from '../../errors.js';
import { field, select, alertRegion, statusRegion } from '../../ui/form.js';
import { copyButton } from '../../ui/copy.js';
import { dataTable } from '../../ui/table.js';
import { usernameProblem } from '../../validate.js';
import { ROLES, roleName, smallButton, checkedValue, send, confirmThen, panelForm, textField } from './common.js';

const COLUMNS = [{ key: 'admin.username' }, { key: 'admin.role' }, { key: 'admin.actions' }, { key: 'admin.createdAt' }];

function roleSelect(name, selected, attrs) {
  return select(name, ROLES.map((r) => ({ value: r, label: roleName(r) })), selected, attrs);
}

export default function accountsPanel(ctx) {
  let accounts = [];
  let created = null; // {username, password}, shown once

  async function load(token) {
    accounts = (await api.adminAccounts(token)).accounts;
  }

  async function changeRole(account, control, alert) {
    const role = control.value;
    if (role !== account.role) {
      if ((await send(ctx, { call: (tok) => api.adminSetRole(tok, account.username, role), alert })) === false) return;
      created = null;
    }
    await ctx.reload(`[data-role-for="${account.username}"]`);
    ctx.say('admin.roleChanged', { username: account.username, role: roleName(role) });
  }

  async function remove(account, alert) {
    const keys = ['admin.deleteAccountTitle', 'admin.deleteAccountText', 'admin.deleteAccountConfirm'];
    const request = { call: (tok) => api.adminDeleteAccount(tok, account.username), alert };
    if (!(await confirmThen(ctx, keys, { username: account.username }, request))) return;
    created = null;
    ctx.say('admin.accountDeleted', { username: account.username });
    await ctx.reload(ctx.statusSelector);
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

  function renderCreateForm() {
    const alert = alertRegion();
    const username = textField(
      'admin.username',
      { name: 'username', autocapitalize: 'none', maxlength: '32' },
      { hintKey: 'admin.newUsernameHint' },
    );
    const role = field({ labelKey: 'admin.role', control: roleSelect('role', 'moderator') });
    const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.create'));
    const onsubmit = async (event) => {
      event.preventDefault();
      const name = checkedValue(username, usernameProblem);
      if (name === null) return;
      const res = await send(ctx, {
        call: (tok) => api.adminCreateAccount(tok, name, role.control.value),
        alert,
        button,
        busyKey: 'admin.creating',
        fieldFor: (err) => (errorField(err) === 'username' || err.code === 'username_taken' ? username : null),
      });
      if (res === false) return;
      created = { username: res.username, password: res.password };
      ctx.say(null);
      await ctx.reload('#admin-created');
    };
    return panelForm(
      { title: ['h3', 'admin.createTitle'], className: 'form form-inline', onsubmit, alert, button },
      username.el,
      role.el,
    );
  }

  function render() {
    const me = ctx.me.username;
    const alert = alertRegion();
    const rows = accounts.map((a) => {
      const mine = a.username === me;
      const control = roleSelect(`role-${a.username}`, a.role, {
        'aria-label': t('admin.roleOf', { username: a.username }),
        'data-role-for': a.username,
        disabled: mine,
      });
      const actions = mine
        ? h('span', { class: 'muted' }, t('admin.you'))
        : h(
            'div',
            { class: 'row-actions' },
            smallButton(t('admin.changeRole'), () => changeRole(a, control, alert), {
              ariaLabel: t('admin.changeRoleLabel', { username: a.username }),
            }),
            smallButton(t('admin.deleteAccount'), () => remove(a, alert), {
              danger: true,
              ariaLabel: t('admin.deleteAccountLabel', { username: a.username }),
            }),
          );
      const date = h('span', { class: 'nowrap' }, formatDate(a.created_at, 'medium'));
      return [a.username, h('div', { class: 'role-cell' }, control), actions, date];
    });
    return [
      alert,
      dataTable({
        caption: t('admin.accountsTitle'),
        captionHidden: true,
        columns: COLUMNS,
        rows,
      }),
      h('p', { class: 'muted' }, t('admin.roleHint')),
      renderCreated(),
      renderCreateForm(),
    ];
  }

  return { load, render };
}
