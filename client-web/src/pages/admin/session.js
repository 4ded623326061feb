// "Ma session": who is signed in, with which role, until when.
import { h } from '../../dom.js';
import { t, formatDateTime } from '../../i18n/index.js';
import { facts, roleName } from './common.js';

export default function sessionPanel(ctx) {
  return {
    render: () => [
      facts([
        ['admin.account', ctx.me.username, 'admin-username'],
        ['admin.role', roleName(ctx.me.role), 'admin-role'],
        ['admin.expires', formatDateTime(ctx.me.expires_at), 'admin-expires'],
      ]),
      h('p', { class: 'muted' }, t('admin.sessionNote')),
    ],
  };
}
