// "Participants" (admins and moderators): the list page by page, a search by
// the start of a nickname, renaming an offensive nickname and erasing a
// participant after a confirmation.
import { h } from '../../dom.js';
import { t, formatDate, formatNumber } from '../../i18n/index.js';
import { api } from '../../api.js';
import { errorField } from '../../errors.js';
import { alertRegion } from '../../ui/form.js';
import { openDialog } from '../../ui/dialog.js';
import { dataTable } from '../../ui/table.js';
import { nicknameProblem } from '../../validate.js';
import { smallButton, checkedValue, send, confirmThen, textField, searchForm, refill } from './common.js';

const PAGE_SIZE = 25;
const SEARCH_LIMIT = 50;
const COLUMNS = [
  { key: 'field.nickname' },
  { key: 'admin.actions' },
  { key: 'admin.neighbourhood' },
  { key: 'admin.joinedOn' },
  { key: 'admin.participantId' },
];

export default function participantsPanel(ctx) {
  let query = ''; // the search shown ('' for the plain list)
  const typed = { q: '' }; // what the search box holds
  let cursors = [null]; // `after` of each page up to the current one
  let rows = [];
  let next = null;
  let results = null; // the element holding the table, redrawn alone

  async function fetchRows(token) {
    const res = query
      ? await api.adminParticipants(token, { q: query, limit: SEARCH_LIMIT })
      : await api.adminParticipants(token, { limit: PAGE_SIZE, after: cursors[cursors.length - 1] });
    rows = res.participants;
    next = res.next;
  }

  function announce() {
    if (!query) ctx.say('admin.pageInfo', { page: formatNumber(cursors.length), count: formatNumber(rows.length) });
    else if (!rows.length) ctx.say('admin.searchNone', { q: query });
    else if (rows.length >= SEARCH_LIMIT) ctx.say('admin.searchMore', { q: query, count: formatNumber(rows.length) });
    else ctx.say('admin.searchCount', { q: query, count: formatNumber(rows.length) });
  }

  function drawResults(selector) {
    refill(results, resultNodes(), selector);
  }

  /** Fetches the current view and redraws the results; false when refused. */
  async function show(alert) {
    if ((await send(ctx, { call: fetchRows, alert })) === false) return false;
    announce();
    drawResults();
    return true;
  }

  /** Goes one page back (-1) or on (1); focus stays on that button, or the other one when it is disabled now. */
  async function turn(step, alert) {
    const left = cursors[cursors.length - 1];
    if (step > 0) cursors.push(next);
    else cursors.pop();
    if (!(await show(alert))) {
      if (step > 0) cursors.pop();
      else cursors.push(left);
      return;
    }
    const ids = step > 0 ? ['participants-next', 'participants-prev'] : ['participants-prev', 'participants-next'];
    const button = ids.map((id) => document.getElementById(id)).find((b) => b && !b.disabled);
    if (button) button.focus();
  }

  async function rename(row) {
    const alert = alertRegion();
    const nick = textField(
      'admin.newNickname',
      { name: 'nickname', value: row.nickname, maxlength: '24' },
      { hintKey: 'field.nicknameHint' },
    );
    const updated = await openDialog({
      title: t('admin.renameTitle', { nickname: row.nickname }),
      text: t('admin.renameText'),
      content: [nick.el, alert],
      confirmLabel: t('admin.renameConfirm'),
      initialFocus: nick.control,
      async onConfirm() {
        const value = checkedValue(nick, (v) => (v === row.nickname ? 'admin.nicknameSame' : nicknameProblem(v)));
        if (value === null) return false;
        return send(ctx, {
          call: (tok) => api.adminRenameParticipant(tok, row.id, value),
          alert,
          fieldFor: (err) => (errorField(err) === 'nickname' ? nick : null),
        });
      },
    });
    if (!updated) return;
    rows = rows.map((r) => (r.id === row.id ? updated : r));
    ctx.say('admin.renamed', { old: row.nickname, nickname: updated.nickname });
    drawResults(`#rename-${row.id}`);
  }

  async function erase(row, alert) {
    const keys = ['admin.eraseTitle', 'admin.eraseText', 'admin.eraseConfirm'];
    const request = { call: (tok) => api.adminEraseParticipant(tok, row.id), alert };
    if (!(await confirmThen(ctx, keys, { nickname: row.nickname }, request))) return;
    rows = rows.filter((r) => r.id !== row.id);
    ctx.say('admin.erased', { nickname: row.nickname });
    drawResults(ctx.statusSelector);
  }

  function resultNodes() {
    const alert = alertRegion();
    const table = dataTable({
      caption: query ? t('admin.searchCaption', { q: query }) : t('admin.listCaption', { page: formatNumber(cursors.length) }),
      columns: COLUMNS,
      empty: query ? t('admin.searchNone', { q: query }) : t('admin.noParticipants'),
      rows: rows.map((r) => [
        [h('span', { translate: 'no' }, r.nickname), r.hidden ? h('span', { class: 'tag' }, t('admin.hiddenTag')) : null],
        h(
          'div',
          { class: 'row-actions' },
          smallButton(t('admin.rename'), () => rename(r), {
            ariaLabel: t('admin.renameLabel', { nickname: r.nickname }),
            attrs: { id: `rename-${r.id}` },
          }),
          smallButton(t('admin.erase'), () => erase(r, alert), {
            danger: true,
            ariaLabel: t('admin.eraseLabel', { nickname: r.nickname }),
          }),
        ),
        r.neighbourhood || '—',
        h('span', { class: 'nowrap' }, formatDate(r.created_at, 'medium')),
        h('span', { class: 'mono', translate: 'no' }, r.id),
      ]),
    });
    const first = cursors.length === 1;
    const pager =
      query || (first && !next)
        ? null
        : h(
            'nav',
            { class: 'actions', 'aria-label': t('admin.pagination') },
            smallButton(t('admin.previousPage'), () => turn(-1, alert), { attrs: { id: 'participants-prev', disabled: first } }),
            smallButton(t('admin.nextPage'), () => turn(1, alert), { attrs: { id: 'participants-next', disabled: !next } }),
          );
    return [alert, table, pager];
  }

  function render() {
    const alert = alertRegion();
    const onSearch = (q) => {
      query = q;
      cursors = [null];
      show(alert);
    };
    results = h('div', null, resultNodes());
    return [
      searchForm({ labelKey: 'admin.search', hintKey: 'admin.searchHint', maxlength: 24, typed, alert, onSearch }),
      results,
    ];
  }

  return { load: fetchRows, render };
}
