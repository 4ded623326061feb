// The profile controls shared by "join" and "my profile": nickname,
// neighbourhood, household size and language.
import { h } from '../dom.js';
import { t, LANGS } from '../i18n/index.js';
import { field, select } from './form.js';

/** Options for the neighbourhood select; keeps `current` even if the city dropped it. */
function neighbourhoodOptions(list, current) {
  const names = Array.isArray(list) ? list.slice() : [];
  if (current && !names.includes(current)) names.unshift(current);
  return [{ value: '', label: t('field.neighbourhoodNone') }, ...names.map((n) => ({ value: n, label: n }))];
}

/**
 * Builds the fields from `values` ({nickname, neighbourhood, household, lang})
 * and keeps `values` up to date as the reader types. `neighbourhoods` is the
 * city's list, undefined while loading, or null when it could not be loaded.
 * `householdOptional`: registration may leave it empty; the profile may not.
 */
export function profileFields({ values, neighbourhoods, householdOptional = true, onLangTouched }) {
  const nickname = field({
    labelKey: 'field.nickname',
    hintKey: 'field.nicknameHint',
    control: h('input', {
      type: 'text',
      name: 'nickname',
      value: values.nickname,
      required: true,
      maxlength: '24',
      autocomplete: 'off',
      spellcheck: 'false',
      oninput: (e) => {
        values.nickname = e.target.value;
      },
    }),
  });

  const hoodSelect = select('neighbourhood', neighbourhoodOptions(neighbourhoods, values.neighbourhood), values.neighbourhood);
  hoodSelect.addEventListener('change', (e) => {
    values.neighbourhood = e.target.value;
  });
  const neighbourhood = field({
    labelKey: 'field.neighbourhood',
    hintKey: neighbourhoods === null ? 'field.neighbourhoodUnavailable' : 'field.neighbourhoodHint',
    optional: true,
    control: hoodSelect,
  });

  const household = field({
    labelKey: 'field.household',
    hintKey: 'field.householdHint',
    optional: householdOptional,
    control: h('input', {
      type: 'number',
      name: 'household_size',
      inputmode: 'numeric',
      min: '1',
      max: '20',
      step: '1',
      value: values.household,
      class: 'input-short',
      oninput: (e) => {
        values.household = e.target.value;
      },
    }),
  });

  const langSelect = select(
    'lang',
    LANGS.map((code) => ({ value: code, label: t(`lang.${code}`) })),
    values.lang,
  );
  langSelect.addEventListener('change', (e) => {
    values.lang = e.target.value;
    if (onLangTouched) onLangTouched();
  });
  const langField = field({ labelKey: 'field.lang', control: langSelect });

  return {
    nickname,
    neighbourhood,
    household,
    lang: langField,
    all: [nickname, neighbourhood, household, langField],
    /** Fills the neighbourhood list once the city has arrived. */
    setNeighbourhoods(list) {
      const keep = values.neighbourhood;
      while (hoodSelect.firstChild) hoodSelect.removeChild(hoodSelect.firstChild);
      for (const o of neighbourhoodOptions(list, keep)) {
        hoodSelect.appendChild(h('option', { value: o.value, selected: o.value === keep }, o.label));
      }
    },
  };
}
