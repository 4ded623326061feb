// "Statistiques": counts, participants per neighbourhood, sign-ups per day.
import { t, formatDate, formatNumber, formatBytes } from '../../i18n/index.js';
import { api } from '../../api.js';
import { dataTable } from '../../ui/table.js';
import { facts, refreshActions } from './common.js';

const COUNT_COLUMNS = (labelKey, countKey) => [{ key: labelKey }, { key: countKey, num: true }];

export default function statsPanel(ctx) {
  let stats = null;
  return {
    async load(token) {
      stats = await api.adminStats(token);
    },
    render() {
      const hoods = Object.entries(stats.neighbourhoods || {});
      const days = Object.entries(stats.registrations_by_day || {}).sort((a, b) => (a[0] < b[0] ? 1 : -1));
      return [
        facts([
          ['admin.participants', formatNumber(stats.participants), 'stat-participants'],
          ['admin.admins', formatNumber(stats.admins), 'stat-admins'],
          ['admin.sessions', formatNumber(stats.sessions), 'stat-sessions'],
          ['admin.dbSize', formatBytes(stats.lmdb_size_bytes), 'stat-db'],
        ]),
        dataTable({
          caption: t('admin.byNeighbourhood'),
          columns: COUNT_COLUMNS('admin.neighbourhood', 'admin.count'),
          rows: hoods.map(([name, n]) => [name, formatNumber(n)]),
          empty: t('admin.noNeighbourhoods'),
        }),
        dataTable({
          caption: t('admin.byDay'),
          columns: COUNT_COLUMNS('admin.day', 'admin.registrations'),
          rows: days.map(([d, n]) => [formatDate(d, 'medium'), formatNumber(n)]),
          empty: t('admin.noRegistrations'),
        }),
        refreshActions(ctx),
      ];
    },
  };
}
