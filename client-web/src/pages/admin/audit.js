// "Journal d'audit" (admins): the newest entries, actions in words.
import { h } from '../../dom.js';
import { t, has, formatDateTime } from '../../i18n/index.js';
import { api } from '../../api.js';
import { dataTable } from '../../ui/table.js';
import { refreshActions } from './common.js';

const LIMIT = 50;
const COLUMNS = [{ key: 'admin.auditAt' }, { key: 'admin.auditAction' }, { key: 'admin.auditActor' }, { key: 'admin.auditTarget' }];

/** The action in words from the catalogue, or its code when the node knows more actions than this client. */
function actionName(code) {
  return has(`audit.${code}`) ? t(`audit.${code}`) : code;
}

export default function auditPanel(ctx) {
  let entries = [];
  return {
    async load(token) {
      entries = (await api.adminAudit(token, LIMIT)).entries;
    },
    render: () => [
      dataTable({
        caption: t('admin.auditCaption', { count: LIMIT }),
        columns: COLUMNS,
        empty: t('admin.auditEmpty'),
        rows: entries.map((e) => [
          h('time', { datetime: e.at, class: 'nowrap' }, formatDateTime(e.at, 'medium')),
          actionName(e.action),
          e.actor === 'cli' ? t('admin.auditCli') : h('span', { translate: 'no' }, e.actor),
          e.target ? h('span', { class: 'mono', translate: 'no' }, e.target) : '—',
        ]),
      }),
      refreshActions(ctx),
    ],
  };
}
