// The "Ateliers" panel: the workshops (upcoming, past, all) with their
// registrations and the room's check-in code; for admins and animators the
// workshop form (French and English texts, kind, times in the city's time
// zone, room capacity, video link), cancelling, and the plan editor (slides
// with an image, polls, quizzes with their correct answers, seconds and
// points); for every staff role the live console (workshop-live.js; its
// presenter controls for admins and animators only), the code shown big for
// the room, the attendance table and the participation dataset (CSV).
import { h, uid } from '../../dom.js';
import { t, formatNumber } from '../../i18n/index.js';
import { api } from '../../api.js';
import * as session from '../../session.js';
import { alertRegion, say, select, field, checkbox } from '../../ui/form.js';
import { dataTable } from '../../ui/table.js';
import { KINDS, local, shortWhen, kindTag, statusTag, wsError } from '../../workshop/common.js';
import { utcToWall, wallToUtc, zoneOr } from '../../workshop/time.js';
import { isoWeek, today, addDays } from '../../challenge/common.js';
import { smallButton, length, clearProblems, showProblems, send, confirmThen, textField, intIn } from './common.js';
import liveConsole from './workshop-live.js';

const WHEN = ['upcoming', 'past', 'all'];
const PRESENTERS = ['admin', 'animator'];
const LIMITS = { title: 120, description: 2000, video: 300, capacity: [1, 10000], hours: 12 };
const PLAN_MAX = 100;
const SLIDE_BODY_MAX = 2000;
const ITEM_TEXT_MAX = 200;
const OPTIONS = { poll: [2, 8], quiz: [2, 6] };
const SECONDS = [5, 120];
const POINTS = [1, 100];
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const IMAGE_MAX = 1024 * 1024;
const WEEK = /^(\d{4})-W(\d{2})$/;

/** A {fr, en} text as the node wants it: `en` only when given. */
function texts(fr, en) {
  const out = { fr: fr.trim() };
  if (en.trim()) out.en = en.trim();
  return out;
}

function emptyDraft(zone) {
  // A sensible start: next week, 18:00 to 19:30 in the city's zone.
  const day = addDays(today(), 7);
  return {
    title_fr: '',
    title_en: '',
    description_fr: '',
    description_en: '',
    kind: 'hybrid',
    starts: `${day}T18:00`,
    ends: `${day}T19:30`,
    capacity: '30',
    video_url: '',
    zone,
  };
}

function draftOf(w, zone) {
  return {
    title_fr: w.title.fr || '',
    title_en: w.title.en || '',
    description_fr: (w.description && w.description.fr) || '',
    description_en: (w.description && w.description.en) || '',
    kind: w.kind,
    starts: utcToWall(w.starts_at, zone),
    ends: utcToWall(w.ends_at, zone),
    capacity: w.capacity ? String(w.capacity) : '',
    video_url: w.video_url || '',
    zone,
  };
}

/** A plan item as the editor holds it (texts as typed, numbers as strings). */
function itemDraft(it) {
  const tx = (o) => ({ fr: (o && o.fr) || '', en: (o && o.en) || '' });
  if (it.kind === 'slide') return { kind: 'slide', used: Boolean(it.used), title: tx(it.title), body: tx(it.body), image: it.image || '' };
  const d = {
    kind: it.kind,
    used: Boolean(it.used),
    question: tx(it.question),
    options: (it.options || []).map(tx),
  };
  if (it.kind === 'poll') d.multiple = Boolean(it.multiple);
  else {
    d.correct = new Set(it.correct || []);
    d.seconds = String(it.seconds || 20);
    d.points = String(it.points || 10);
  }
  return d;
}

function newItem(kind) {
  const empty = () => ({ fr: '', en: '' });
  if (kind === 'slide') return { kind, used: false, title: empty(), body: empty(), image: '' };
  if (kind === 'poll') return { kind, used: false, question: empty(), options: [empty(), empty()], multiple: false };
  return { kind, used: false, question: empty(), options: [empty(), empty()], correct: new Set(), seconds: '20', points: '10' };
}

export default function workshopsPanelImpl(ctx) {
  const role = ctx.me.role;
  const presenter = PRESENTERS.includes(role);
  let when = 'upcoming';
  let list = [];
  let zone = 'Europe/Paris';
  let view = { name: 'list' }; // list | edit | plan | live | attendance | code
  let draft = null; // the workshop form
  let plan = null; // the plan editor's items
  let attendance = null;
  let live = null; // the live console while shown
  const dataset = { from: '', to: '' };

  async function load(token) {
    const [body, city] = await Promise.all([api.adminWorkshops(token, { when }), ctx.app.city()]);
    list = body.workshops || [];
    zone = zoneOr(city && city.timezone);
    if (!dataset.from) {
      const season = city && city.season;
      dataset.from = isoWeek(season && season.starts_on <= today() ? season.starts_on : addDays(today(), -84));
      dataset.to = isoWeek(today());
    }
    if (view.id !== undefined) view.w = list.find((w) => w.id === view.id) || view.w;
  }

  function byId(id) {
    return list.find((w) => w.id === id);
  }

  function go(next, selector) {
    if (live && next.name !== 'live') {
      live.close();
      live = null;
    }
    view = next;
    ctx.redraw(selector || '#ws-admin-view');
  }

  async function reloadAnd(next, selector) {
    await ctx.reload();
    go(next, selector);
  }

  // --- list -----------------------------------------------------------------

  function whenSwitch() {
    return h(
      'div',
      { class: 'segmented', role: 'group', 'aria-label': t('admin.ws.whenLabel') },
      WHEN.map((w) =>
        h(
          'button',
          {
            type: 'button',
            class: 'segment',
            id: `ws-admin-when-${w}`,
            'aria-pressed': w === when ? 'true' : 'false',
            onclick: () => {
              when = w;
              ctx.reload(`#ws-admin-when-${w}`);
            },
          },
          t(`admin.ws.when.${w}`),
        ),
      ),
    );
  }

  function regCell(w) {
    const parts = [];
    if (w.kind !== 'online') parts.push(t('admin.ws.roomCount', { n: formatNumber(w.room_registered || 0), capacity: formatNumber(w.capacity || 0) }));
    if (w.waitlisted) parts.push(t('admin.ws.waitCount', { n: formatNumber(w.waitlisted) }));
    if (w.kind !== 'physical') parts.push(t('admin.ws.onlineCount', { n: formatNumber(w.online_registered || 0) }));
    return parts.join(' · ');
  }

  function rowActions(w) {
    const title = local(w.title);
    const b = (key, next, name = key.split('.').pop()) =>
      smallButton(t(key), () => next(), { ariaLabel: t(`${key}Label`, { title }), attrs: { id: `ws-${name}-${w.id}` } });
    const out = [];
    if (presenter) {
      out.push(b('admin.ws.edit', () => startEdit(w)));
      out.push(b('admin.ws.plan', () => startPlan(w)));
    }
    if (w.status !== 'cancelled') out.push(b(presenter ? 'admin.ws.run' : 'admin.ws.moderate', () => go({ name: 'live', id: w.id, w }), 'run'));
    if (w.kind !== 'online' && w.checkin_code) out.push(b('admin.ws.showCode', () => go({ name: 'code', id: w.id, w })));
    out.push(b('admin.ws.attendance', () => showAttendance(w)));
    return h('div', { class: 'row-actions' }, out);
  }

  function renderList() {
    const rows = list.map((w) => [
      h(
        'span',
        { class: 'ws-admin-title', dataset: { workshop: String(w.id) } },
        local(w.title),
        h('span', { class: 'ws-tags' }, ' ', kindTag(w.kind), statusTag(w.status)),
        h('span', { class: 'ws-admin-when' }, shortWhen(w.starts_at, zone)),
      ),
      regCell(w),
      w.checkin_code ? h('span', { class: 'ws-code', id: `ws-code-${w.id}` }, w.checkin_code) : '—',
      rowActions(w),
    ]);
    return [
      h('p', null, t(presenter ? 'admin.ws.intro' : 'admin.ws.introModerator')),
      whenSwitch(),
      presenter
        ? h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button button-primary', id: 'ws-new', onclick: () => startEdit(null) }, t('admin.ws.new')))
        : null,
      dataTable({
        caption: t('admin.ws.caption', { count: formatNumber(list.length) }),
        columns: [
          { key: 'admin.ws.col.title' },
          { key: 'admin.ws.col.registrations' },
          { key: 'admin.ws.col.code' },
          { key: 'admin.actions' },
        ],
        rows,
        empty: t(`admin.ws.empty.${when}`),
      }),
      datasetForm(),
    ];
  }

  // --- dataset ----------------------------------------------------------------

  function datasetForm() {
    const alert = alertRegion();
    const from = textField('admin.ws.datasetFrom', { name: 'from', maxlength: '8', class: 'input-medium', placeholder: '2026-W36' }, { bind: [dataset, 'from'], hintKey: 'admin.ws.weekHint' });
    const to = textField('admin.ws.datasetTo', { name: 'to', maxlength: '8', class: 'input-medium' }, { bind: [dataset, 'to'] });
    const button = h('button', { type: 'submit', class: 'button button-secondary', id: 'ws-dataset' }, t('admin.ws.datasetDownload'));
    const titleId = uid('ds');
    return h(
      'form',
      {
        class: 'form form-inline',
        novalidate: true,
        'aria-labelledby': titleId,
        onsubmit: async (e) => {
          e.preventDefault();
          clearProblems(ctx, alert, [from, to]);
          const f = dataset.from.trim().toUpperCase();
          const tt = dataset.to.trim().toUpperCase();
          const problems = [];
          if (!WEEK.test(f)) problems.push([from, 'admin.ws.weekRule']);
          if (!WEEK.test(tt)) problems.push([to, 'admin.ws.weekRule']);
          if (!problems.length && f > tt) problems.push([to, 'admin.ws.weekOrder']);
          if (showProblems(problems)) return;
          const res = await send(ctx, { call: (tok) => api.adminAttendanceDataset(tok, { from: f, to: tt, format: 'csv' }), alert, button, busyKey: 'admin.ws.downloading' });
          if (res === false) return;
          const blob = await res.blob();
          const file = `ateliers-participation-${f}-${tt}.csv`;
          const url = URL.createObjectURL(new Blob([blob], { type: 'text/csv' }));
          const link = h('a', { href: url, download: file, hidden: true });
          document.body.appendChild(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(url), 60000);
          ctx.say('admin.ws.downloaded', { file });
        },
      },
      h('h3', { id: titleId }, t('admin.ws.datasetTitle')),
      h('p', { class: 'hint' }, t('admin.ws.datasetIntro')),
      h('div', { class: 'field-pair' }, from.el, to.el),
      alert,
      h('div', { class: 'actions' }, button),
    );
  }

  // --- workshop form ----------------------------------------------------------

  function startEdit(w) {
    draft = w ? draftOf(w, zone) : emptyDraft(zone);
    go({ name: 'edit', id: w ? w.id : undefined, w }, '#ws-f-title_fr');
  }

  function renderEdit() {
    const w = view.w;
    const alert = alertRegion();
    const bind = (name) => ({ bind: [draft, name] });
    const opt = { required: false };
    const fields = {
      title_fr: textField('admin.ws.f.title_fr', { name: 'title_fr', id: 'ws-f-title_fr', maxlength: String(LIMITS.title) }, bind('title_fr')),
      title_en: textField('admin.ws.f.title_en', { name: 'title_en', maxlength: String(LIMITS.title), ...opt }, bind('title_en')),
      description_fr: textField('admin.ws.f.description_fr', { name: 'description_fr', maxlength: String(LIMITS.description), spellcheck: 'true' }, { ...bind('description_fr'), area: true, hintText: t('admin.maxChars', { max: formatNumber(LIMITS.description) }) }),
      description_en: textField('admin.ws.f.description_en', { name: 'description_en', maxlength: String(LIMITS.description), spellcheck: 'true', ...opt }, { ...bind('description_en'), area: true }),
      starts: textField('admin.ws.f.starts', { type: 'datetime-local', name: 'starts_at' }, { ...bind('starts'), hintText: t('admin.ws.zoneHint', { zone }) }),
      ends: textField('admin.ws.f.ends', { type: 'datetime-local', name: 'ends_at' }, { ...bind('ends'), hintText: t('admin.ws.endsHint', { hours: LIMITS.hours }) }),
      capacity: textField('admin.ws.f.capacity', { type: 'number', name: 'capacity', inputmode: 'numeric', min: '1', max: '10000', class: 'input-medium' }, { ...bind('capacity'), hintKey: 'admin.ws.capacityHint' }),
      video_url: textField('admin.ws.f.video_url', { type: 'url', name: 'video_url', maxlength: String(LIMITS.video), inputmode: 'url', ...opt }, { ...bind('video_url'), hintKey: 'admin.ws.videoHint' }),
    };
    // The kind is fixed once the workshop exists (registrations depend on it).
    const kindSelect = w
      ? h('input', { type: 'text', id: 'ws-f-kind', value: t(`ws.kind.${w.kind}`), readonly: true })
      : select('kind', KINDS.map((k) => ({ value: k, label: t(`ws.kind.${k}`) })), draft.kind, { id: 'ws-f-kind' });
    const kind = field({ labelKey: 'admin.ws.f.kind', control: kindSelect, hintKey: w ? 'admin.ws.kindFixed' : undefined });
    const capacityWrap = h('div', { hidden: draft.kind === 'online' }, fields.capacity.el);
    kindSelect.addEventListener('change', () => {
      draft.kind = kindSelect.value;
      capacityWrap.hidden = draft.kind === 'online';
    });
    const submit = h('button', { type: 'submit', class: 'button button-primary', id: 'ws-save' }, t(w ? 'admin.ws.save' : 'admin.ws.create'));
    const back = h('button', { type: 'button', class: 'button button-secondary', onclick: () => go({ name: 'list' }) }, t('admin.ws.back'));

    async function onsubmit(event) {
      event.preventDefault();
      clearProblems(ctx, alert, Object.values(fields));
      const problems = [];
      const title = texts(draft.title_fr, draft.title_en);
      const description = texts(draft.description_fr, draft.description_en);
      for (const [name, max] of [['title_fr', LIMITS.title], ['title_en', LIMITS.title], ['description_fr', LIMITS.description], ['description_en', LIMITS.description]]) {
        const n = length(draft[name].trim());
        const required = name.endsWith('_fr') && name.startsWith('title');
        if ((required && n < 1) || n > max) problems.push([fields[name], 'admin.textRule', { max: formatNumber(max) }]);
      }
      const startsAt = wallToUtc(draft.starts, zone);
      const endsAt = wallToUtc(draft.ends, zone);
      if (!startsAt) problems.push([fields.starts, 'admin.ws.dateRule']);
      if (!endsAt) problems.push([fields.ends, 'admin.ws.dateRule']);
      else if (startsAt) {
        const span = Date.parse(endsAt) - Date.parse(startsAt);
        if (span <= 0 || span > LIMITS.hours * 3600000) problems.push([fields.ends, 'admin.ws.endsRule', { hours: LIMITS.hours }]);
      }
      let capacity = 0;
      if (draft.kind !== 'online') {
        capacity = intIn(draft.capacity, ...LIMITS.capacity);
        if (capacity === null) problems.push([fields.capacity, 'admin.intRule', { min: '1', max: formatNumber(10000) }]);
      }
      const video = draft.video_url.trim();
      if (video && (!/^https:\/\/[^\s/]+/.test(video) || new TextEncoder().encode(video).length > LIMITS.video)) problems.push([fields.video_url, 'admin.ws.videoRule']);
      if (showProblems(problems)) return;
      const body = { title, description, kind: draft.kind, starts_at: startsAt, ends_at: endsAt };
      if (draft.kind !== 'online') body.capacity = capacity;
      if (video) body.video_url = video;
      let changes = body;
      if (w) {
        // Only what changed; an emptied video link is sent as null.
        const before = draftOf(w, zone);
        changes = {};
        if (draft.title_fr.trim() !== before.title_fr || draft.title_en.trim() !== before.title_en) changes.title = title;
        if (draft.description_fr.trim() !== before.description_fr || draft.description_en.trim() !== before.description_en) changes.description = description;
        if (startsAt !== w.starts_at) changes.starts_at = startsAt;
        if (endsAt !== w.ends_at) changes.ends_at = endsAt;
        if (draft.kind !== 'online' && capacity !== w.capacity) changes.capacity = capacity;
        if (video !== (w.video_url || '')) changes.video_url = video || null;
        if (!Object.keys(changes).length) {
          say(alert, t('admin.ws.unchanged'));
          return;
        }
      }
      const fieldNames = { title: fields.title_fr, description: fields.description_fr, starts_at: fields.starts, ends_at: fields.ends, capacity: fields.capacity, video_url: fields.video_url, kind };
      const res = await send(ctx, {
        call: (tok) => (w ? api.adminEditWorkshop(tok, w.id, changes) : api.adminCreateWorkshop(tok, body)),
        alert,
        button: submit,
        busyKey: 'admin.saving',
        textOf: (err) => wsError(err),
        fieldFor: (err) => {
          const m = /^[a-z_]+/.exec(err.serverMessage || '');
          return err.code === 'invalid_field' && m && fieldNames[m[0]] ? fieldNames[m[0]] : null;
        },
      });
      if (res === false) return;
      const done = w ? 'admin.ws.saved' : 'admin.ws.created';
      await ctx.reload();
      go({ name: 'list' }, ctx.statusSelector);
      ctx.say(done, { title: title.fr });
    }

    const cancelButton =
      w && w.status !== 'cancelled' && w.status !== 'ended'
        ? h('button', { type: 'button', class: 'button button-danger', onclick: () => cancelWorkshop(w, alert) }, t('admin.ws.cancelWorkshop'))
        : null;
    const titleId = uid('wsf');
    return h(
      'form',
      { class: 'form form-inline', novalidate: true, 'aria-labelledby': titleId, onsubmit },
      h('h3', { id: titleId }, w ? t('admin.ws.editTitle', { title: local(w.title) }) : t('admin.ws.newTitle')),
      h('div', { class: 'field-pair' }, fields.title_fr.el, fields.title_en.el),
      h('div', { class: 'field-pair' }, fields.description_fr.el, fields.description_en.el),
      kind.el,
      h('div', { class: 'field-pair' }, fields.starts.el, fields.ends.el),
      capacityWrap,
      fields.video_url.el,
      alert,
      h('div', { class: 'actions' }, submit, back, cancelButton),
    );
  }

  async function cancelWorkshop(w, alert) {
    const title = local(w.title);
    const keys = ['admin.ws.cancelTitle', 'admin.ws.cancelText', 'admin.ws.cancelConfirm'];
    const ok = await confirmThen(ctx, keys, { title }, { call: (tok) => api.adminEditWorkshop(tok, w.id, { status: 'cancelled' }), alert, textOf: (err) => wsError(err) });
    if (!ok) return;
    await reloadAnd({ name: 'list' }, ctx.statusSelector);
    ctx.say('admin.ws.cancelled', { title });
  }

  // --- plan ---------------------------------------------------------------------

  function startPlan(w) {
    plan = (w.plan || []).map(itemDraft);
    go({ name: 'plan', id: w.id, w }, '#ws-plan-title');
  }

  /** The index of the last item already used live: those up to it keep their place. */
  function lastUsed() {
    let last = -1;
    plan.forEach((it, i) => {
      if (it.used) last = i;
    });
    return last;
  }

  function textPair(labelKey, obj, { area = false, max, idBase, requiredFr = true } = {}) {
    const make = (code) => {
      const control = h(area ? 'textarea' : 'input', {
        type: area ? undefined : 'text',
        rows: area ? '3' : undefined,
        maxlength: String(max),
        autocomplete: 'off',
        id: `${idBase}-${code}`,
        required: code === 'fr' && requiredFr,
      });
      control.value = obj[code];
      control.addEventListener('input', () => {
        obj[code] = control.value;
      });
      return field({ labelKey: `${labelKey}.${code}`, control, optional: code === 'en' || !requiredFr });
    };
    const pair = { fr: make('fr'), en: make('en') };
    return { pair, el: h('div', { class: 'field-pair' }, pair.fr.el, pair.en.el) };
  }

  function itemEditor(it, i, problems) {
    const base = `ws-item-${i}`;
    const locked = it.used;
    const fixedUntil = lastUsed();
    const title = h('h4', { id: `${base}-title` }, t('admin.ws.itemTitle', { n: i + 1, kind: t(`admin.ws.kind.${it.kind}`) }), locked ? h('span', { class: 'tag tag-off' }, t('admin.ws.used')) : null);
    const tools = h(
      'div',
      { class: 'row-actions' },
      smallButton('↑', () => move(i, -1), { ariaLabel: t('admin.ws.moveUp', { n: i + 1 }), attrs: { disabled: i <= fixedUntil + 1, id: `${base}-up` } }),
      smallButton('↓', () => move(i, 1), { ariaLabel: t('admin.ws.moveDown', { n: i + 1 }), attrs: { disabled: i <= fixedUntil || i === plan.length - 1, id: `${base}-down` } }),
      smallButton(t('admin.ws.remove'), () => removeItem(i), { danger: true, ariaLabel: t('admin.ws.removeLabel', { n: i + 1 }), attrs: { disabled: i <= fixedUntil } }),
    );
    if (locked) {
      const text = it.kind === 'slide' ? local(it.title) : local(it.question);
      return h('li', { class: 'card ws-item', dataset: { item: String(i), kind: it.kind }, 'aria-labelledby': `${base}-title` }, title, h('p', null, text), h('p', { class: 'hint' }, t('admin.ws.usedHint')));
    }
    const parts = [];
    if (it.kind === 'slide') {
      const tp = textPair('admin.ws.slideTitle', it.title, { max: LIMITS.title, idBase: `${base}-title` });
      const bp = textPair('admin.ws.slideBody', it.body, { area: true, max: SLIDE_BODY_MAX, idBase: `${base}-body`, requiredFr: false });
      problems.push(() => {
        const p = [];
        const n = length(it.title.fr.trim());
        if (n < 1 || n > LIMITS.title) p.push([tp.pair.fr, 'admin.textRule', { max: formatNumber(LIMITS.title) }]);
        if (length(it.title.en.trim()) > LIMITS.title) p.push([tp.pair.en, 'admin.textRule', { max: formatNumber(LIMITS.title) }]);
        return p;
      });
      parts.push(tp.el, bp.el, imageField(it, i));
    } else {
      const qp = textPair('admin.ws.question', it.question, { max: ITEM_TEXT_MAX, idBase: `${base}-q` });
      const [minO, maxO] = OPTIONS[it.kind];
      const optionRows = it.options.map((o, j) => {
        const op = textPair('admin.ws.option', o, { max: ITEM_TEXT_MAX, idBase: `${base}-o${j}` });
        const letter = String.fromCharCode(65 + j);
        const row = [h('p', { class: 'ws-option-name' }, t('admin.ws.optionN', { letter })), op.el];
        if (it.kind === 'quiz') {
          const c = checkbox({ labelKey: 'admin.ws.correct', checked: it.correct.has(j), name: `${base}-correct-${j}` });
          c.control.addEventListener('change', () => {
            if (c.control.checked) it.correct.add(j);
            else it.correct.delete(j);
          });
          c.control.setAttribute('aria-label', t('admin.ws.correctLabel', { letter }));
          row.push(c.el);
        }
        row.push(
          h('div', { class: 'actions' }, smallButton(t('admin.ws.optionRemove'), () => {
            it.options.splice(j, 1);
            if (it.correct) it.correct = new Set([...it.correct].filter((c) => c !== j).map((c) => (c > j ? c - 1 : c)));
            ctx.redraw(`#${base}-add-option`);
          }, { ariaLabel: t('admin.ws.optionRemoveLabel', { letter }), attrs: { disabled: it.options.length <= minO } })),
        );
        problems.push(() => {
          const n = length(o.fr.trim());
          return n < 1 || n > ITEM_TEXT_MAX ? [[op.pair.fr, 'admin.textRule', { max: formatNumber(ITEM_TEXT_MAX) }]] : [];
        });
        return h('div', { class: 'ws-option-edit' }, row);
      });
      problems.push(() => {
        const n = length(it.question.fr.trim());
        return n < 1 || n > ITEM_TEXT_MAX ? [[qp.pair.fr, 'admin.textRule', { max: formatNumber(ITEM_TEXT_MAX) }]] : [];
      });
      parts.push(
        qp.el,
        h('fieldset', { class: 'fieldset' }, h('legend', null, t('admin.ws.options', { min: minO, max: maxO })), optionRows),
        h('div', { class: 'actions' }, smallButton(t('admin.ws.optionAdd'), () => {
          it.options.push({ fr: '', en: '' });
          ctx.redraw(`#${base}-o${it.options.length - 1}-fr`);
        }, { attrs: { id: `${base}-add-option`, disabled: it.options.length >= maxO } })),
      );
      if (it.kind === 'poll') {
        const m = checkbox({ labelKey: 'admin.ws.multiple', checked: it.multiple, name: `${base}-multiple` });
        m.control.addEventListener('change', () => {
          it.multiple = m.control.checked;
        });
        parts.push(m.el);
      } else {
        const sec = textField('admin.ws.seconds', { type: 'number', inputmode: 'numeric', min: '5', max: '120', class: 'input-medium', id: `${base}-seconds` }, { bind: [it, 'seconds'], hintText: t('admin.intRule', { min: '5', max: '120' }) });
        const pts = textField('admin.ws.points', { type: 'number', inputmode: 'numeric', min: '1', max: '100', class: 'input-medium', id: `${base}-points` }, { bind: [it, 'points'], hintText: t('admin.ws.pointsHint') });
        parts.push(h('div', { class: 'field-pair' }, sec.el, pts.el));
        problems.push(() => {
          const p = [];
          if (intIn(it.seconds, ...SECONDS) === null) p.push([sec, 'admin.intRule', { min: '5', max: '120' }]);
          if (intIn(it.points, ...POINTS) === null) p.push([pts, 'admin.intRule', { min: '1', max: '100' }]);
          if (!it.correct.size) p.push([qp.pair.fr, 'admin.ws.correctRule']);
          return p;
        });
      }
    }
    return h('li', { class: 'card ws-item', dataset: { item: String(i), kind: it.kind }, 'aria-labelledby': `${base}-title` }, title, tools, parts);
  }

  function imageField(it, i) {
    const id = `ws-item-${i}-image`;
    const input = h('input', { type: 'file', id, accept: IMAGE_TYPES.join(',') });
    const f = field({ labelKey: 'admin.ws.image', hintKey: 'admin.ws.imageHint', control: input, optional: true });
    input.addEventListener('change', async () => {
      const file = input.files && input.files[0];
      f.setError(null);
      if (!file) return;
      if (!IMAGE_TYPES.includes(file.type)) return f.setError(t('admin.ws.imageType'));
      if (file.size > IMAGE_MAX) return f.setError(t('admin.ws.imageSize'));
      const alert = alertRegion();
      const res = await send(ctx, { call: (tok) => api.adminUploadImage(tok, view.id, file), alert, textOf: (err) => wsError(err) });
      if (res === false) return f.setError(alert.textContent);
      it.image = res.name;
      ctx.redraw(`#${id}`);
    });
    const preview = it.image
      ? h(
          'div',
          { class: 'ws-image-preview' },
          h('img', { src: `api/v1/workshops/${view.id}/images/${encodeURIComponent(it.image)}`, alt: t('admin.ws.imageAlt'), class: 'ws-slide-image' }),
          smallButton(t('admin.ws.imageRemove'), () => {
            it.image = '';
            ctx.redraw(`#${id}`);
          }),
        )
      : null;
    return h('div', null, f.el, preview);
  }

  function move(i, step) {
    const j = i + step;
    [plan[i], plan[j]] = [plan[j], plan[i]];
    ctx.redraw(`#ws-item-${j}-${step < 0 ? 'up' : 'down'}`);
  }

  function removeItem(i) {
    plan.splice(i, 1);
    ctx.redraw(plan.length ? `#ws-item-${Math.min(i, plan.length - 1)}-title` : '#ws-plan-title');
  }

  function itemBody(it) {
    if (it.kind === 'slide') {
      const out = { kind: 'slide', title: texts(it.title.fr, it.title.en) };
      if (it.body.fr.trim()) out.body = texts(it.body.fr, it.body.en);
      if (it.image) out.image = it.image;
      return out;
    }
    const out = { kind: it.kind, question: texts(it.question.fr, it.question.en), options: it.options.map((o) => texts(o.fr, o.en)) };
    if (it.kind === 'poll') out.multiple = it.multiple;
    else {
      out.correct = [...it.correct].sort((a, b) => a - b);
      out.seconds = intIn(it.seconds, ...SECONDS);
      out.points = intIn(it.points, ...POINTS);
    }
    return out;
  }

  /** An item already used, as it was (the node refuses any change to it). */
  function usedBody(i) {
    const orig = view.w.plan[i];
    const { used, item, ...rest } = orig;
    void used;
    void item;
    return rest;
  }

  function renderPlan() {
    const w = view.w;
    const alert = alertRegion();
    const problems = [];
    const items = plan.map((it, i) => itemEditor(it, i, problems));
    const add = (kind) =>
      smallButton(t(`admin.ws.add.${kind}`), () => {
        plan.push(newItem(kind));
        ctx.redraw(`#ws-item-${plan.length - 1}-title`);
      }, { attrs: { disabled: plan.length >= PLAN_MAX, id: `ws-add-${kind}` } });
    const save = h('button', { type: 'submit', class: 'button button-primary', id: 'ws-plan-save' }, t('admin.ws.planSave'));
    async function onsubmit(e) {
      e.preventDefault();
      say(alert, null);
      ctx.say(null);
      const found = problems.flatMap((check) => check());
      document.querySelectorAll('.ws-plan .field-error:not([hidden])').forEach((el) => {
        el.hidden = true;
      });
      if (showProblems(found)) return;
      const body = plan.map((it, i) => (it.used ? usedBody(i) : itemBody(it)));
      const res = await send(ctx, { call: (tok) => api.adminPutPlan(tok, w.id, body), alert, button: save, busyKey: 'admin.saving', textOf: (err) => wsError(err) });
      if (res === false) return;
      await ctx.reload();
      startPlan(byId(w.id) || w);
      ctx.say('admin.ws.planSaved', { count: formatNumber(body.length) });
    }
    return h(
      'form',
      { class: 'form ws-plan', novalidate: true, 'aria-labelledby': 'ws-plan-title', onsubmit },
      h('h3', { id: 'ws-plan-title', tabindex: '-1' }, t('admin.ws.planTitle', { title: local(w.title) })),
      h('p', { class: 'hint' }, t('admin.ws.planIntro')),
      plan.length ? h('ol', { class: 'ws-items' }, items) : h('p', { class: 'muted' }, t('admin.ws.planEmpty')),
      h('div', { class: 'actions' }, add('slide'), add('poll'), add('quiz')),
      alert,
      h('div', { class: 'actions' }, save, h('button', { type: 'button', class: 'button button-secondary', onclick: () => go({ name: 'list' }) }, t('admin.ws.back'))),
    );
  }

  // --- the code, big --------------------------------------------------------

  function renderCode() {
    const w = view.w;
    const box = h(
      'div',
      { class: 'ws-code-screen', id: 'ws-code-screen', tabindex: '-1' },
      h('p', { class: 'lead' }, local(w.title)),
      h('p', null, t('admin.ws.codeHow')),
      h('p', { class: 'ws-code ws-code-big', id: 'ws-code-big', 'aria-label': t('admin.ws.codeSpelled', { code: w.checkin_code.split('').join(' ') }) }, w.checkin_code),
      h('p', { class: 'muted' }, t('admin.ws.codeWindow')),
    );
    return [
      box,
      h(
        'div',
        { class: 'actions' },
        document.fullscreenEnabled
          ? smallButton(t('admin.ws.fullscreen'), () => box.requestFullscreen().catch(() => {}), { attrs: { id: 'ws-code-full' } })
          : null,
        smallButton(t('admin.ws.back'), () => go({ name: 'list' }, `#ws-showCode-${w.id}`)),
      ),
    ];
  }

  // --- attendance -----------------------------------------------------------

  async function showAttendance(w) {
    const alert = alertRegion();
    const res = await send(ctx, { call: (tok) => api.adminAttendance(tok, w.id), alert, textOf: (err) => wsError(err) });
    if (res === false) {
      ctx.say(null);
      return;
    }
    attendance = res;
    go({ name: 'attendance', id: w.id, w }, '#ws-att-title');
  }

  function renderAttendance() {
    const w = view.w;
    const a = attendance;
    const yes = (b) => (b ? t('admin.ws.yes') : t('admin.ws.no'));
    const rows = (a.rows || []).map((r) => [
      h('span', { dataset: { participant: r.participant } }, r.nickname),
      r.registration ? t(`admin.ws.reg.${r.registration}`) : '—',
      yes(r.online),
      formatNumber(r.online_minutes || 0),
      yes(r.physical),
      r.mode ? t(`admin.ws.mode.${r.mode}`) : '—',
    ]);
    const tot = a.totals || {};
    return [
      h('h3', { id: 'ws-att-title', tabindex: '-1' }, t('admin.ws.attTitle', { title: local(w.title) })),
      h('p', { id: 'ws-att-totals' }, t('admin.ws.attTotals', {
        participants: formatNumber(tot.participants || 0),
        online: formatNumber(tot.online || 0),
        physical: formatNumber(tot.physical || 0),
        both: formatNumber(tot.both || 0),
      })),
      dataTable({
        caption: t('admin.ws.attCaption'),
        columns: [
          { key: 'field.nickname' },
          { key: 'admin.ws.att.registration' },
          { key: 'admin.ws.att.online' },
          { key: 'admin.ws.att.minutes', num: true },
          { key: 'admin.ws.att.physical' },
          { key: 'admin.ws.att.mode' },
        ],
        rows,
        empty: t('admin.ws.attEmpty'),
      }),
      h(
        'div',
        { class: 'actions' },
        smallButton(t('admin.refresh'), () => showAttendance(w), { attrs: { id: 'ws-att-refresh' } }),
        smallButton(t('admin.ws.back'), () => go({ name: 'list' }, `#ws-attendance-${w.id}`)),
      ),
    ];
  }

  // --- live -------------------------------------------------------------------

  function renderLive() {
    if (!live || live.id !== view.id) {
      if (live) live.close();
      live = liveConsole({
        ctx,
        w: view.w,
        zone,
        presenter,
        token: session.staff() ? session.staff().token : null,
        back: () => go({ name: 'list' }, `#ws-run-${view.id}`),
        showCode: () => go({ name: 'code', id: view.id, w: view.w }),
      });
    }
    return live.render();
  }

  function render() {
    let content;
    if (view.name === 'edit') content = renderEdit();
    else if (view.name === 'plan') content = renderPlan();
    else if (view.name === 'code') content = renderCode();
    else if (view.name === 'attendance') content = renderAttendance();
    else if (view.name === 'live') content = renderLive();
    else content = renderList();
    return h('div', { id: 'ws-admin-view', tabindex: '-1', class: 'ws-admin' }, content);
  }

  return {
    load,
    render,
    leave() {
      if (live) live.close();
      live = null;
    },
  };
}
