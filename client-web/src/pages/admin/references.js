// "Références déchets" (admins): the national and regional figures the waste
// page sets a household's weigh-ins against. A reference is added, or
// replaced under the same id, with one form; deleting asks first.
import { h } from '../../dom.js';
import { t, formatNumber } from '../../i18n/index.js';
import { api } from '../../api.js';
import { alertRegion } from '../../ui/form.js';
import { dataTable } from '../../ui/table.js';
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

const STREAMS = ['all', 'residual'];
const ID = /^[a-z0-9-]{1,32}$/;
// The request's texts and whole numbers with their limits (server/api_challenge.c).
const RULES = {
  texts: [
    ['label_fr', 40],
    ['label_en', 40],
    ['source', 300],
  ],
  numbers: [
    ['kg_per_person_year', [1, 5000]],
    ['year', [1990, 2100], true],
  ],
};
const COLUMNS = [
  { key: 'admin.ref.label_fr' },
  { key: 'admin.ref.kg_per_person_year', num: true },
  { key: 'admin.ref.stream' },
  { key: 'admin.ref.year' },
  { key: 'admin.actions' },
  { key: 'admin.ref.source' },
  { key: 'admin.ref.id' },
];

function emptyDraft() {
  return { id: '', label_fr: '', label_en: '', kg_per_person_year: '', stream: 'all', year: '', source: '' };
}

function draftOf(r) {
  return {
    id: r.id,
    label_fr: r.label.fr,
    label_en: r.label.en,
    kg_per_person_year: String(r.kg_per_person_year),
    stream: r.stream,
    year: String(r.year),
    source: r.source,
  };
}

function streamName(stream) {
  return STREAMS.includes(stream) ? t(`admin.refStream.${stream}`) : stream;
}

export default function referencesPanel(ctx) {
  let references = [];
  let draft = emptyDraft();

  async function load() {
    // The public list is the whole list: there is no staff-only view of it.
    references = (await api.wasteReferences()).references;
  }

  async function remove(r, alert) {
    const keys = ['admin.refDeleteTitle', 'admin.refDeleteText', 'admin.refDeleteConfirm'];
    const request = { call: (tok) => api.adminDeleteReference(tok, r.id), alert };
    if (!(await confirmThen(ctx, keys, { label: r.label.fr }, request))) return;
    references = references.filter((x) => x.id !== r.id);
    ctx.say('admin.refDeleted', { label: r.label.fr });
    ctx.redraw(ctx.statusSelector);
  }

  function renderList() {
    const alert = alertRegion();
    const rows = references.map((r) => [
      r.label.fr,
      h('span', { class: 'nowrap' }, formatNumber(r.kg_per_person_year)),
      streamName(r.stream),
      String(r.year),
      h(
        'div',
        { class: 'row-actions' },
        smallButton(
          t('admin.refEdit'),
          () => {
            draft = draftOf(r);
            ctx.redraw('#reference-id');
          },
          { ariaLabel: t('admin.refEditLabel', { label: r.label.fr }) },
        ),
        smallButton(t('admin.refDelete'), () => remove(r, alert), {
          danger: true,
          ariaLabel: t('admin.refDeleteLabel', { label: r.label.fr }),
        }),
      ),
      h('span', { class: 'ref-source' }, r.source),
      h('span', { class: 'mono', translate: 'no' }, r.id),
    ]);
    return [
      alert,
      dataTable({ caption: t('admin.refsCaption'), columns: COLUMNS, rows, empty: t('admin.refsEmpty') }),
    ];
  }

  function renderForm() {
    const alert = alertRegion();
    const fields = {
      ...ruledFields(draft, 'admin.ref.', RULES),
      id: textField(
        'admin.ref.id',
        { id: 'reference-id', name: 'ref_id', maxlength: '32', autocapitalize: 'none' },
        { hintKey: 'admin.refIdHint', bind: [draft, 'id'] },
      ),
      stream: choiceField('admin.ref.stream', 'stream', STREAMS, streamName, [draft, 'stream']),
    };
    const button = h('button', { type: 'submit', class: 'button button-primary' }, t('admin.refSave'));

    async function onsubmit(event) {
      event.preventDefault();
      clearProblems(ctx, alert, Object.values(fields));
      const id = draft.id.trim();
      const { value, problems } = ruledValues(draft, fields, RULES);
      value.stream = draft.stream;
      if (!ID.test(id)) problems.push([fields.id, 'admin.refIdRule']);
      if (showProblems(problems)) return;
      const res = await send(ctx, {
        call: (tok) => api.adminPutReference(tok, id, value),
        alert,
        button,
        busyKey: 'admin.saving',
        fieldFor: (err) => namedField(fields, err),
      });
      if (res === false) return;
      draft = emptyDraft();
      // The list first, then the status line: what it announces is already shown.
      await ctx.reload(ctx.statusSelector);
      ctx.say('admin.refSaved', { label: value.label_fr });
    }

    return panelForm(
      { title: ['h3', 'admin.refFormTitle'], className: 'form form-inline', onsubmit, alert, button },
      fields.id.el,
      h('div', { class: 'field-pair' }, fields.label_fr.el, fields.label_en.el),
      h('div', { class: 'field-pair' }, fields.kg_per_person_year.el, fields.year.el),
      fields.stream.el,
      fields.source.el,
    );
  }

  return { load, render: () => [h('p', null, t('admin.refsIntro')), renderList(), renderForm()] };
}
