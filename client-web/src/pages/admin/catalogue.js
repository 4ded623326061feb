// "Catalogue des gestes": every staff role reads the whole catalogue, retired
// actions included; admins add an action, edit one, retire it (after a
// confirmation) or put it back in use. An action's frequency cannot change
// once it exists (check-ins are unique per period of it): the edit form
// shows it read-only.
import { h } from '../../dom.js';
import { t, formatNumber } from '../../i18n/index.js';
import { api } from '../../api.js';
import { alertRegion, say } from '../../ui/form.js';
import { dataTable } from '../../ui/table.js';
import { CATEGORIES } from '../../challenge/common.js';
import {
  smallButton,
  clearProblems,
  showProblems,
  send,
  confirmThen,
  panelForm,
  textField,
  choiceField,
  ruledFields,
  ruledValues,
  namedField,
} from './common.js';

const FREQUENCIES = ['daily', 'weekly', 'once'];
// The request's texts and whole numbers with their limits (docs/api.md, "Admin routes").
const TEXTS = [
  ['title_fr', 80],
  ['title_en', 80],
  ['why_fr', 1000],
  ['why_en', 1000],
  ['how_fr', 1000],
  ['how_en', 1000],
  ['source', 300],
];
const NUMBERS = [
  ['co2e_g', [0, 100000]],
  ['waste_g', [0, 50000]],
  ['points', [1, 100]],
];
const RULES = { texts: TEXTS, numbers: NUMBERS };
const ID = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;
const MAX_ACTIONS = 200;

const num = (key) => ({ key, num: true });
const COLUMNS = [
  { key: 'admin.action.title_fr' },
  { key: 'admin.action.category' },
  { key: 'admin.action.frequency' },
  num('admin.action.co2e_g'),
  num('admin.action.waste_g'),
  num('admin.action.points'),
  { key: 'admin.actionState' },
];
const ID_COLUMN = { key: 'admin.action.id' };

/** The text `name` (title_fr, why_en, source…) of an action as GET sends it. */
function textOf(action, name) {
  return name === 'source' ? action.source : action[name.slice(0, -3)][name.slice(-2)];
}

function emptyDraft() {
  const draft = { id: '', category: CATEGORIES[0], frequency: FREQUENCIES[0], co2e_g: '', waste_g: '0', points: '' };
  for (const [name] of TEXTS) draft[name] = '';
  return draft;
}

function draftOf(action) {
  const draft = { id: action.id, category: action.category, frequency: action.frequency };
  for (const [name] of TEXTS) draft[name] = textOf(action, name);
  for (const [name] of NUMBERS) draft[name] = String(action[name]);
  return draft;
}

function byCategoryThenTitle(a, b) {
  const c = CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category);
  return c || a.title.fr.localeCompare(b.title.fr, 'fr');
}

export default function cataloguePanel(ctx) {
  const canEdit = ctx.me.role === 'admin';
  let actions = [];
  let editing = null; // the action being edited, or null for a new one
  let draft = emptyDraft(); // the form's values, as typed

  async function load(token) {
    actions = (await api.adminActions(token)).actions.slice().sort(byCategoryThenTitle);
  }

  function startEdit(action) {
    editing = action;
    draft = draftOf(action);
    ctx.redraw('#action-category');
  }

  /** Leaves the edit form for the add form; focus goes back to the row's Edit button. */
  function stopEdit() {
    const id = editing.id;
    editing = null;
    draft = emptyDraft();
    ctx.redraw(`#action-edit-${id}`);
  }

  async function retire(action, alert) {
    const keys = ['admin.actionRetireTitle', 'admin.actionRetireText', 'admin.actionRetireConfirm'];
    const request = { call: (tok) => api.adminRetireAction(tok, action.id), alert };
    if (!(await confirmThen(ctx, keys, { title: action.title.fr }, request))) return;
    await ctx.reload(ctx.statusSelector);
    ctx.say('admin.actionRetired', { title: action.title.fr });
  }

  async function restore(action, alert) {
    const request = { call: (tok) => api.adminEditAction(tok, action.id, { retired: false }), alert };
    if ((await send(ctx, request)) === false) return;
    await ctx.reload(ctx.statusSelector);
    ctx.say('admin.actionRestored', { title: action.title.fr });
  }

  function rowActions(action, alert) {
    const title = action.title.fr;
    return h(
      'div',
      { class: 'row-actions' },
      smallButton(t('admin.actionEdit'), () => startEdit(action), {
        ariaLabel: t('admin.actionEditLabel', { title }),
        attrs: { id: `action-edit-${action.id}` },
      }),
      action.retired
        ? smallButton(t('admin.actionRestore'), () => restore(action, alert), {
            ariaLabel: t('admin.actionRestoreLabel', { title }),
          })
        : smallButton(t('admin.actionRetire'), () => retire(action, alert), {
            danger: true,
            ariaLabel: t('admin.actionRetireLabel', { title }),
          }),
    );
  }

  function renderList() {
    const alert = alertRegion();
    const columns = canEdit ? [...COLUMNS, { key: 'admin.actions' }, ID_COLUMN] : [...COLUMNS, ID_COLUMN];
    const rows = actions.map((a) => [
      a.title.fr,
      t(`ch.category.${a.category}`),
      t(`ch.frequency.${a.frequency}`),
      formatNumber(a.co2e_g),
      formatNumber(a.waste_g),
      formatNumber(a.points),
      a.retired ? h('span', { class: 'tag tag-off' }, t('admin.actionRetiredTag')) : t('admin.actionInUse'),
      ...(canEdit ? [rowActions(a, alert)] : []),
      h('span', { class: 'mono', translate: 'no' }, a.id),
    ]);
    return [
      alert,
      dataTable({
        caption: t('admin.catalogueCaption', { count: formatNumber(actions.length) }),
        columns,
        rows,
        empty: t('admin.catalogueEmpty'),
      }),
    ];
  }

  function choice(name, values, labelOf) {
    return choiceField(`admin.action.${name}`, name, values, labelOf, [draft, name], { id: `action-${name}` });
  }

  /** A read-only field showing what cannot change once the action exists. */
  function fixed(name, value, hintKey) {
    return textField(`admin.action.${name}`, { name, value, readonly: true, required: false }, { hintKey });
  }

  function renderForm() {
    const alert = alertRegion();
    const fields = {
      ...ruledFields(draft, 'admin.action.', RULES),
      id: editing
        ? fixed('id', editing.id)
        : textField(
            'admin.action.id',
            { name: 'id', maxlength: '40', autocapitalize: 'none' },
            { hintKey: 'admin.actionIdHint', bind: [draft, 'id'] },
          ),
      category: choice('category', CATEGORIES, (c) => t(`ch.category.${c}`)),
      frequency: editing
        ? fixed('frequency', t(`ch.frequency.${editing.frequency}`), 'admin.frequencyFixed')
        : choice('frequency', FREQUENCIES, (f) => t(`ch.frequency.${f}`)),
    };
    const submitKey = editing ? 'admin.actionSave' : 'admin.actionAdd';
    const submit = h('button', { type: 'submit', class: 'button button-primary' }, t(submitKey));
    const cancel = editing
      ? h('button', { type: 'button', class: 'button button-secondary', onclick: () => stopEdit() }, t('common.cancel'))
      : null;

    async function onsubmit(event) {
      event.preventDefault();
      clearProblems(ctx, alert, Object.values(fields));
      const { value, problems } = ruledValues(draft, fields, RULES);
      value.category = draft.category;
      if (!editing) {
        value.id = draft.id.trim();
        value.frequency = draft.frequency;
        if (!ID.test(value.id)) problems.push([fields.id, 'admin.actionIdRule']);
      }
      if (showProblems(problems)) return;
      let body = value;
      if (editing) {
        const before = draftOf(editing);
        body = {};
        for (const name of ['category', ...TEXTS.map((x) => x[0])]) if (value[name] !== before[name]) body[name] = value[name];
        for (const [name] of NUMBERS) if (String(value[name]) !== before[name]) body[name] = value[name];
        if (!Object.keys(body).length) {
          say(alert, t('admin.actionUnchanged'));
          return;
        }
      } else if (actions.length >= MAX_ACTIONS) {
        say(alert, t('errors.too_many_actions'));
        return;
      }
      const id = editing ? editing.id : value.id;
      const res = await send(ctx, {
        call: (tok) => (editing ? api.adminEditAction(tok, id, body) : api.adminCreateAction(tok, body)),
        alert,
        button: submit,
        busyKey: 'admin.saving',
        fieldFor: (err) => (err.code === 'conflict' ? fields.id : namedField(fields, err)),
        overrides: { conflict: 'admin.actionIdTaken' },
      });
      if (res === false) return;
      const done = editing ? 'admin.actionSaved' : 'admin.actionCreated';
      editing = null;
      draft = emptyDraft();
      // The list first, then the status line: what it announces is already shown.
      await ctx.reload(ctx.statusSelector);
      ctx.say(done, { title: value.title_fr });
    }

    const pair = (a, b) => h('div', { class: 'field-pair' }, fields[a].el, fields[b].el);
    return panelForm(
      {
        title: editing ? ['h3', 'admin.actionEditTitle', { title: editing.title.fr }] : ['h3', 'admin.actionAddTitle'],
        className: 'form form-inline',
        onsubmit,
        alert,
        button: [submit, cancel],
      },
      pair('id', 'category'),
      fields.frequency.el,
      pair('title_fr', 'title_en'),
      pair('why_fr', 'why_en'),
      pair('how_fr', 'how_en'),
      fields.source.el,
      h('div', { class: 'field-trio' }, NUMBERS.map(([name]) => fields[name].el)),
    );
  }

  return {
    load,
    render: () => [
      h('p', null, t('admin.catalogueIntro')),
      renderList(),
      canEdit ? renderForm() : h('p', { class: 'muted' }, t('admin.catalogueReadOnly')),
    ],
  };
}
