// "Équipes (modération)" (admins and moderators): the teams, or those whose
// name starts with a search, each with its kind, members and score per
// member; an offensive name is renamed in its row, and a team can be deleted
// after a confirmation (its members keep their own scores).
import { h } from '../../dom.js';
import { t, formatNumber } from '../../i18n/index.js';
import { api } from '../../api.js';
import { errorText } from '../../errors.js';
import { alertRegion } from '../../ui/form.js';
import { dataTable } from '../../ui/table.js';
import { points, mass, formatInt } from '../../challenge/common.js';
import { teamKindName, teamNameProblem, teamNameError } from '../../challenge/teams.js';
import { smallButton, checkedValue, send, confirmThen, panelForm, textField, searchForm, refill } from './common.js';

const LIMIT = 50;
const COLUMNS = [
  { key: 'admin.teamName' },
  { key: 'admin.teamKind' },
  { key: 'admin.actions' },
  { key: 'admin.teamMembers' },
  { key: 'teams.pointsAvg', num: true },
  { key: 'teams.co2eAvg', num: true },
  { key: 'admin.teamId' },
];

export default function teamsPanel(ctx) {
  let query = ''; // the search shown ('' for all teams)
  const typed = { q: '' }; // what the search box holds
  let rows = [];
  let editing = null; // {id, name}: the row being renamed and what its box holds
  let results = null; // the element holding the table, redrawn alone

  async function fetchRows(token) {
    rows = (await api.adminTeams(token, { q: query, limit: LIMIT })).teams;
  }

  function announce() {
    const vars = { q: query, count: formatNumber(rows.length) };
    if (!rows.length) ctx.say(query ? 'admin.teamsNone' : 'admin.teamsEmpty', vars);
    else if (rows.length >= LIMIT) ctx.say(query ? 'admin.teamsMore' : 'admin.teamsFirst', vars);
    else ctx.say(query ? 'admin.teamsCount' : 'admin.teamsAll', vars);
  }

  function drawResults(selector) {
    refill(results, resultNodes(), selector);
  }

  async function show(alert) {
    editing = null;
    if ((await send(ctx, { call: fetchRows, alert })) === false) return;
    announce();
    drawResults();
  }

  function startRename(row) {
    editing = { id: row.id, name: row.name };
    drawResults(`#team-name-${row.id}`);
  }

  function stopRename(row) {
    editing = null;
    drawResults(`#team-rename-${row.id}`);
  }

  /** The actions cell of the row being renamed: a small form in place of its buttons. */
  function renameForm(row) {
    const alert = alertRegion();
    const name = textField(
      'admin.teamNewName',
      { id: `team-name-${row.id}`, name: 'team_name', maxlength: '40' },
      { hintKey: 'teams.nameHint', bind: [editing, 'name'] },
    );
    name.control.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        stopRename(row);
      }
    });
    const save = h('button', { type: 'submit', class: 'button button-primary button-small' }, t('admin.teamRenameSave'));
    const cancel = smallButton(t('common.cancel'), () => stopRename(row));
    const onsubmit = async (event) => {
      event.preventDefault();
      const value = checkedValue(name, (v) => (v === row.name ? 'admin.teamNameSame' : teamNameProblem(v)));
      if (value === null) return;
      const updated = await send(ctx, {
        call: (tok) => api.adminRenameTeam(tok, row.id, value),
        alert,
        button: save,
        busyKey: 'admin.saving',
        fieldFor: (err) => (teamNameError(err) ? name : null),
        textOf: (err) => teamNameError(err) || errorText(err),
      });
      if (updated === false) return;
      rows = rows.map((r) => (r.id === row.id ? updated : r));
      editing = null;
      ctx.say('admin.teamRenamed', { old: row.name, name: updated.name });
      drawResults(`#team-rename-${row.id}`);
    };
    return panelForm({ className: 'form inline-edit', onsubmit, alert, button: [save, cancel] }, name.el);
  }

  async function remove(row, alert) {
    const keys = ['admin.teamDeleteTitle', 'admin.teamDeleteText', 'admin.teamDeleteConfirm'];
    const request = { call: (tok) => api.adminDeleteTeam(tok, row.id), alert };
    if (!(await confirmThen(ctx, keys, { name: row.name, members: formatInt(row.members) }, request))) return;
    rows = rows.filter((r) => r.id !== row.id);
    editing = null;
    ctx.say('admin.teamDeleted', { name: row.name });
    drawResults(ctx.statusSelector);
  }

  function resultNodes() {
    const alert = alertRegion();
    const table = dataTable({
      caption: query ? t('admin.teamsCaptionSearch', { q: query }) : t('admin.teamsCaption'),
      columns: COLUMNS,
      empty: query ? t('admin.teamsNone', { q: query }) : t('admin.teamsEmpty'),
      rows: rows.map((r) => [
        h('span', { translate: 'no' }, r.name),
        teamKindName(r.kind),
        editing && editing.id === r.id
          ? renameForm(r)
          : h(
              'div',
              { class: 'row-actions' },
              smallButton(t('admin.rename'), () => startRename(r), {
                ariaLabel: t('admin.teamRenameLabel', { name: r.name }),
                attrs: { id: `team-rename-${r.id}` },
              }),
              smallButton(t('admin.teamDelete'), () => remove(r, alert), {
                danger: true,
                ariaLabel: t('admin.teamDeleteLabel', { name: r.name }),
              }),
            ),
        h('span', { class: 'nowrap' }, t('teams.membersOf', { n: formatInt(r.members), max: formatInt(r.capacity) })),
        h('span', { class: 'nowrap' }, points(r.points_avg)),
        h('span', { class: 'nowrap' }, mass(r.co2e_avg_g)),
        h('span', { class: 'mono', translate: 'no' }, r.id),
      ]),
    });
    return [alert, table];
  }

  function render() {
    const alert = alertRegion();
    const onSearch = (q) => {
      query = q;
      show(alert);
    };
    results = h('div', null, resultNodes());
    return [
      h('p', null, t('admin.teamsIntro')),
      searchForm({ labelKey: 'admin.teamSearch', hintKey: 'admin.teamSearchHint', maxlength: 40, typed, alert, onSearch }),
      results,
    ];
  }

  return { load: fetchRows, render };
}
