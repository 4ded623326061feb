// Mes déchets (#/dechets): the weekly weigh-in of the household's four
// streams (kilograms typed with decimals, sent as integer grams), the
// history, the 3-week baseline and the change since. Loaded lazily with its
// messages.
import { h } from '../dom.js';
import { t, addMessages } from '../i18n/index.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { errorText } from '../errors.js';
import { alertRegion, statusRegion, say, busy, select, field } from '../ui/form.js';
import { dataTable } from '../ui/table.js';
import {
  local,
  plural,
  decimal,
  mass,
  kgValue,
  today,
  isoWeek,
  shiftWeek,
  weekLabel,
  weekCompact,
  STREAMS,
  parseKg,
  pageShell,
  joinFirst,
  loadingOrError,
  dropSession,
} from '../challenge/common.js';
import fr from '../i18n/waste.fr.js';
import en from '../i18n/waste.en.js';

addMessages({ fr, en });

const MAX_KG = 100;
const WEEKS_OFFERED = 12;

export default function wastePage(app) {
  let data = null; // GET /me/waste
  let profile = null; // GET /me
  let season;
  let currentWeek = null;
  let week = null; // chosen week
  let values = { residual: '', recyclables: '', glass: '', biowaste: '' };
  let loadError = null;
  let lost = false;
  let left = false;
  let lastStatus = null;
  let sending = false;

  function load() {
    const who = session.participant();
    if (!who) return;
    loadError = null;
    Promise.all([api.waste(who.token), api.me(who.token), api.progress(who.token), app.city()]).then(
      ([w, m, p, city]) => {
        if (left) return;
        data = w;
        profile = m;
        season = city ? city.season || null : undefined;
        // The node's current week (its time zone), or this device's.
        currentWeek = p && p.week && p.week.week ? p.week.week : isoWeek(today());
        if (!week) week = currentWeek;
        app.rerender();
      },
      (err) => {
        if (left) return;
        if (err.status === 401) {
          lost = true;
          dropSession(app);
        } else loadError = errorText(err);
        app.rerender();
      },
    );
  }

  function weekOptions() {
    const first = season && season.starts_on ? isoWeek(season.starts_on) : null;
    const options = [];
    let w = currentWeek;
    for (let i = 0; i < WEEKS_OFFERED; i += 1) {
      if (first && w < first) break;
      const label = i === 0 ? t('waste.thisWeek', { label: weekCompact(w) }) : weekCompact(w);
      options.push({ value: w, label });
      w = shiftWeek(w, -1);
    }
    // A week chosen before (or weighed) stays offered.
    if (!options.some((o) => o.value === week)) options.push({ value: week, label: weekCompact(week) });
    return options;
  }

  function recorded(w) {
    return data && Array.isArray(data.weeks) ? data.weeks.find((x) => x.week === w) || null : null;
  }

  function wasteError(err) {
    return errorText(err, { date_in_future: 'waste.errorFuture', outside_season: 'waste.errorSeason' });
  }

  async function submit(e, fields, alert, button) {
    e.preventDefault();
    if (sending) return;
    say(alert, null);
    lastStatus = null;
    const body = { week };
    let firstBad = null;
    for (const s of STREAMS) {
      const f = fields[s];
      f.setError(null);
      const text = values[s].trim();
      if (text === '') continue;
      const g = parseKg(text);
      if (!Number.isFinite(g) || g < 0 || g > MAX_KG * 1000) {
        f.setError(t('waste.badNumber', { max: MAX_KG }));
        if (!firstBad) firstBad = f;
        continue;
      }
      body[`${s}_g`] = g;
    }
    if (firstBad) {
      firstBad.control.focus();
      return;
    }
    if (Object.keys(body).length === 1) {
      say(alert, t('waste.nothing'));
      fields.residual.control.focus();
      return;
    }
    const who = session.participant();
    if (!who) return;
    const before = recorded(week);
    const replaces = STREAMS.some((s) => `${s}_g` in body && before && typeof before[`${s}_g`] === 'number');
    sending = true;
    busy(button, true, 'waste.saving');
    try {
      const saved = await api.saveWaste(who.token, body);
      const fresh = await api.waste(who.token);
      if (left) return;
      data = fresh;
      lastStatus = t(replaces ? 'waste.updated' : 'waste.saved', {
        week: weekLabel(saved.week, true),
        total: mass(saved.total_g),
        perPerson: mass(saved.per_person_g),
      });
      values = { residual: '', recyclables: '', glass: '', biowaste: '' };
      app.rerender('#waste-status');
    } catch (err) {
      busy(button, false);
      if (err.status === 401) {
        lost = true;
        dropSession(app);
        app.rerender('h1');
        return;
      }
      say(alert, wasteError(err));
    } finally {
      sending = false;
    }
  }

  function form() {
    const alert = alertRegion();
    const status = statusRegion();
    status.id = 'waste-status';
    status.tabIndex = -1;
    if (lastStatus) say(status, lastStatus);
    const weekSelect = select('week', weekOptions(), week, { id: 'waste-week' });
    weekSelect.addEventListener('change', () => {
      week = weekSelect.value;
      lastStatus = null;
      app.rerender('#waste-week');
    });
    const existing = recorded(week);
    const fields = {};
    for (const s of STREAMS) {
      const control = h('input', {
        type: 'text',
        name: s,
        inputmode: 'decimal',
        autocomplete: 'off',
        class: 'input-short',
        value: values[s],
        oninput: (ev) => {
          values[s] = ev.target.value;
        },
      });
      const had = existing && typeof existing[`${s}_g`] === 'number' ? existing[`${s}_g`] : null;
      fields[s] = field({
        labelKey: `waste.stream.${s}`,
        hintText: had === null ? t(`waste.streamHint.${s}`) : `${t(`waste.streamHint.${s}`)} ${t('waste.already', { value: mass(had) })}`,
        control,
      });
    }
    const button = h('button', { type: 'submit', class: 'button button-primary' }, t('waste.save'));
    return h(
      'form',
      {
        class: 'card form',
        novalidate: true,
        'aria-labelledby': 'waste-form-title',
        onsubmit: (e) => submit(e, fields, alert, button),
      },
      h('h2', { id: 'waste-form-title' }, t('waste.formTitle')),
      h('p', { class: 'week-chosen', id: 'waste-week-label' }, weekLabel(week)),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'waste-week' }, t('waste.week')),
        weekSelect,
      ),
      h('p', { class: 'hint' }, t('waste.kgHint')),
      existing ? h('p', { class: 'notice notice-info' }, t('waste.replaceNote')) : null,
      h('div', { class: 'waste-fields' }, STREAMS.map((s) => fields[s].el)),
      alert,
      status,
      h('div', { class: 'actions' }, button),
    );
  }

  function baselineSection() {
    const weeks = data.weeks || [];
    const lines = [];
    if (data.baseline) {
      lines.push(
        t('waste.baseline', {
          value: mass(data.baseline.per_person_week_g),
          weeks: data.baseline.weeks.map((w) => weekCompact(w)).join(', '),
        }),
      );
      if (typeof data.change_pct === 'number') {
        const pct = decimal(Math.abs(data.change_pct), 0);
        lines.push(t(data.change_pct <= 0 ? 'waste.changeDown' : 'waste.changeUp', { pct }));
      } else {
        lines.push(t('waste.changeLater'));
      }
    } else {
      lines.push(t('waste.baselineLater', { done: plural('waste.weeks', weeks.length), left: 3 - weeks.length }));
    }
    if (typeof data.per_person_year_kg === 'number') {
      lines.push(t('waste.perYear', { value: decimal(data.per_person_year_kg, 0) }));
      const refs = (data.references || []).filter((r) => r.stream === 'all');
      if (refs.length) {
        lines.push(
          t('waste.compare', {
            refs: refs.map((r) => t('waste.refItem', { label: local(r.label), value: decimal(r.kg_per_person_year, 0), year: r.year })).join(' ; '),
          }),
        );
      }
    }
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'waste-baseline-title' },
      h('h2', { id: 'waste-baseline-title' }, t('waste.baselineTitle')),
      lines.map((l) => h('p', null, l)),
      h('p', null, h('a', { href: '#/tableau-de-bord' }, t('waste.toDashboard'))),
    );
  }

  function history() {
    const weeks = (data.weeks || []).slice().reverse();
    const cell = (g) => (typeof g === 'number' ? kgValue(g) : t('waste.notWeighed'));
    const rows = weeks.map((w) => [
      weekCompact(w.week),
      ...STREAMS.map((s) => cell(w[`${s}_g`])),
      kgValue(w.total_g),
      kgValue(w.per_person_g),
    ]);
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'waste-history-title', id: 'waste-history' },
      h('h2', { id: 'waste-history-title' }, t('waste.historyTitle')),
      dataTable({
        caption: t('waste.historyCaption'),
        captionHidden: true,
        columns: [
          { key: 'waste.col.week' },
          ...STREAMS.map((s) => ({ key: `waste.col.${s}`, num: true })),
          { key: 'waste.col.total', num: true },
          { key: 'waste.col.perPerson', num: true },
        ],
        rows,
        empty: t('waste.historyEmpty'),
      }),
    );
  }

  function render() {
    const title = t('waste.title');
    if (!session.participant()) return pageShell('page-waste', title, joinFirst('waste.needAccount', lost));
    if (!data) {
      return pageShell(
        'page-waste',
        title,
        loadingOrError(loadError, () => {
          loadError = null;
          app.rerender();
          load();
        }),
      );
    }
    const household = profile ? profile.household_size : 1;
    return pageShell(
      'page-waste',
      title,
      h('p', { class: 'lead' }, t('waste.lead')),
      h(
        'details',
        { class: 'explain card' },
        h('summary', null, t('waste.howTitle')),
        h('p', null, t('waste.tip')),
        h('p', null, t('waste.how2')),
        h('p', null, t('waste.how3')),
      ),
      h(
        'p',
        { class: 'muted' },
        t('waste.household', { people: plural('waste.people', household) }),
        ' ',
        h('a', { href: '#/profil' }, t('waste.householdLink')),
      ),
      season === null ? h('div', { class: 'notice notice-error' }, t('waste.noSeason')) : null,
      form(),
      baselineSection(),
      history(),
    );
  }

  load();
  return {
    title: () => t('waste.title'),
    render,
    leave() {
      left = true;
    },
  };
}
