// "Ville et saisons" (admins): the city profile (name, population, the
// neighbourhoods participants choose from) and the challenge's seasons.
import { h, uid } from '../../dom.js';
import { t, formatDate } from '../../i18n/index.js';
import { api } from '../../api.js';
import { alertRegion, say } from '../../ui/form.js';
import { dataTable } from '../../ui/table.js';
import {
  smallButton,
  length,
  clearProblems,
  showProblems,
  send,
  confirmThen,
  panelForm,
  textField,
  intField,
  intIn,
} from './common.js';

const MAX_HOODS = 64;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const SEASON_COLUMNS = [
  { key: 'admin.seasonName' },
  { key: 'admin.seasonStart' },
  { key: 'admin.seasonEnd' },
  { key: 'admin.actions' },
  { key: 'admin.seasonId' },
];

function emptySeason() {
  return { id: '', name: '', starts_on: '', ends_on: '' };
}

function today() {
  const d = new Date();
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

export default function cityPanel(ctx) {
  let city = null; // the form's values: {name, population (text), hoods: [text]}
  let seasons = [];
  let season = emptySeason(); // the season form's values

  async function load(token) {
    const [c, s] = await Promise.all([api.adminCity(token), api.adminSeasons(token)]);
    city = { name: c.name || '', population: c.population ? String(c.population) : '', hoods: c.neighbourhoods.slice() };
    seasons = s.seasons;
  }

  function renderHoods() {
    const inputs = city.hoods.map((value, i) =>
      h('input', {
        type: 'text',
        id: uid('hood'),
        name: 'neighbourhood',
        value,
        maxlength: '32',
        autocomplete: 'off',
        'data-hood': String(i),
        oninput: (e) => {
          city.hoods[i] = e.target.value;
        },
      }),
    );
    const removeAt = (i) => {
      city.hoods.splice(i, 1);
      const n = city.hoods.length;
      ctx.redraw(n ? `[data-hood="${Math.min(i, n - 1)}"]` : '#hood-add');
    };
    const list = h(
      'ol',
      { class: 'hood-list' },
      inputs.map((input, i) =>
        h(
          'li',
          null,
          h('label', { for: input.id, class: 'visually-hidden' }, t('admin.hoodLabel', { n: i + 1 })),
          input,
          smallButton(t('admin.hoodRemove'), () => removeAt(i), { ariaLabel: t('admin.hoodRemoveLabel', { n: i + 1 }) }),
        ),
      ),
    );
    const add = smallButton(
      t('admin.hoodAdd'),
      () => {
        city.hoods.push('');
        ctx.redraw(`[data-hood="${city.hoods.length - 1}"]`);
      },
      { attrs: { id: 'hood-add', disabled: city.hoods.length >= MAX_HOODS } },
    );
    const hintId = uid('hint');
    return {
      inputs,
      el: h(
        'fieldset',
        { class: 'fieldset', 'aria-describedby': hintId },
        h('legend', null, t('admin.hoods')),
        h('p', { class: 'hint', id: hintId }, t('admin.hoodsHint')),
        list,
        h('div', { class: 'actions' }, add),
      ),
    };
  }

  function renderCity() {
    const alert = alertRegion();
    const name = textField('admin.cityName', { name: 'city_name', maxlength: '32' }, { bind: [city, 'name'] });
    const population = intField('admin.population', 'population', [1, 100000000], { bind: [city, 'population'] });
    const hoods = renderHoods();
    const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.citySave'));

    async function onsubmit(event) {
      event.preventDefault();
      clearProblems(ctx, alert, [name, population]);
      hoods.inputs.forEach((i) => i.removeAttribute('aria-invalid'));
      const cityName = city.name.trim();
      const pop = intIn(city.population, 1, 100000000);
      const problems = [];
      if (length(cityName) < 1 || length(cityName) > 32) problems.push([name, 'admin.nameRule']);
      if (pop === null) problems.push([population, 'admin.populationRule']);
      if (showProblems(problems)) return;
      const names = city.hoods.map((s) => s.trim());
      let bad = null;
      names.forEach((s, i) => {
        if (bad || !s) return;
        if (length(s) > 32) bad = [i, 'admin.hoodLength', { n: i + 1 }];
        else if (names.indexOf(s) < i) bad = [i, 'admin.hoodDuplicate', { name: s }];
      });
      const kept = names.filter(Boolean);
      if (!bad && kept.length > MAX_HOODS) bad = [MAX_HOODS, 'admin.hoodTooMany', { max: MAX_HOODS }];
      if (bad) {
        say(alert, t(bad[1], bad[2]));
        const input = hoods.inputs[bad[0]];
        if (input) {
          input.setAttribute('aria-invalid', 'true');
          input.focus();
        }
        return;
      }
      const saved = await send(ctx, {
        call: (tok) => api.adminSaveCity(tok, { name: cityName, population: pop, neighbourhoods: kept }),
        alert,
        button,
        busyKey: 'admin.saving',
      });
      if (saved === false) return;
      city = { name: saved.name || '', population: String(saved.population), hoods: saved.neighbourhoods.slice() };
      ctx.say('admin.citySaved');
      ctx.app.cityChanged();
      ctx.redraw(ctx.statusSelector);
    }

    return panelForm({ title: ['h3', 'admin.cityProfile'], onsubmit, alert, button }, name.el, population.el, hoods.el);
  }

  async function removeSeason(s, alert) {
    const keys = ['admin.seasonDeleteTitle', 'admin.seasonDeleteText', 'admin.seasonDeleteConfirm'];
    const request = { call: (tok) => api.adminDeleteSeason(tok, s.id), alert };
    if (!(await confirmThen(ctx, keys, { name: s.name }, request))) return;
    seasons = seasons.filter((x) => x.id !== s.id);
    ctx.say('admin.seasonDeleted', { name: s.name });
    ctx.redraw(ctx.statusSelector);
  }

  function renderSeasonForm() {
    const alert = alertRegion();
    const id = textField(
      'admin.seasonId',
      { id: 'season-id', name: 'season_id', maxlength: '32', autocapitalize: 'none' },
      { hintKey: 'admin.seasonIdHint', bind: [season, 'id'] },
    );
    const name = textField('admin.seasonName', { name: 'season_name', maxlength: '32' }, { bind: [season, 'name'] });
    const starts = textField('admin.seasonStart', { type: 'date', name: 'starts_on' }, { bind: [season, 'starts_on'] });
    const ends = textField('admin.seasonEnd', { type: 'date', name: 'ends_on' }, { bind: [season, 'ends_on'] });
    const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.seasonSave'));

    async function onsubmit(event) {
      event.preventDefault();
      clearProblems(ctx, alert, [id, name, starts, ends]);
      const value = { id: season.id.trim(), name: season.name.trim(), starts_on: season.starts_on, ends_on: season.ends_on };
      const problems = [];
      if (!/^[a-z0-9-]{1,32}$/.test(value.id)) problems.push([id, 'admin.seasonIdRule']);
      if (length(value.name) < 1 || length(value.name) > 32) problems.push([name, 'admin.nameRule']);
      if (!DAY.test(value.starts_on)) problems.push([starts, 'admin.dateRequired']);
      if (!DAY.test(value.ends_on)) problems.push([ends, 'admin.dateRequired']);
      else if (DAY.test(value.starts_on) && value.ends_on < value.starts_on) problems.push([ends, 'admin.seasonOrder']);
      if (showProblems(problems)) return;
      const saved = await send(ctx, {
        call: (tok) => api.adminPutSeason(tok, value),
        alert,
        button,
        busyKey: 'admin.saving',
      });
      if (saved === false) return;
      seasons = seasons.filter((x) => x.id !== saved.id).concat(saved).sort((a, b) => (a.id < b.id ? -1 : 1));
      season = emptySeason();
      ctx.say('admin.seasonSaved', { name: saved.name });
      ctx.redraw(ctx.statusSelector);
    }

    return panelForm(
      { title: ['h4', 'admin.seasonFormTitle'], onsubmit, alert, button },
      id.el,
      name.el,
      h('div', { class: 'field-pair' }, starts.el, ends.el),
    );
  }

  function renderSeasons() {
    const alert = alertRegion();
    const day = today();
    const rows = seasons.map((s) => [
      [s.name, s.starts_on <= day && day <= s.ends_on ? h('span', { class: 'tag' }, t('admin.seasonCurrent')) : null],
      h('span', { class: 'nowrap' }, formatDate(s.starts_on, 'medium')),
      h('span', { class: 'nowrap' }, formatDate(s.ends_on, 'medium')),
      h(
        'div',
        { class: 'row-actions' },
        smallButton(
          t('admin.seasonEdit'),
          () => {
            season = { id: s.id, name: s.name, starts_on: s.starts_on, ends_on: s.ends_on };
            ctx.redraw('#season-id');
          },
          { ariaLabel: t('admin.seasonEditLabel', { name: s.name }) },
        ),
        smallButton(t('admin.seasonDelete'), () => removeSeason(s, alert), {
          danger: true,
          ariaLabel: t('admin.seasonDeleteLabel', { name: s.name }),
        }),
      ),
      h('span', { class: 'mono', translate: 'no' }, s.id),
    ]);
    return [
      h('h3', { id: 'admin-seasons-title' }, t('admin.seasonsTitle')),
      alert,
      dataTable({ caption: t('admin.seasonsTitle'), captionHidden: true, columns: SEASON_COLUMNS, rows, empty: t('admin.noSeasons') }),
      renderSeasonForm(),
    ];
  }

  return { load, render: () => [renderCity(), h('div', { class: 'form-inline' }, renderSeasons())] };
}
