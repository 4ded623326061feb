// What the teams page and the staff console's team moderation share: the
// kinds of teams, the name rules and how a refused name is explained, with
// the teams page's messages (i18n/teams.*.js), loaded with the first of them.
import { t, addMessages } from '../i18n/index.js';
import { errorText } from '../errors.js';
import fr from '../i18n/teams.fr.js';
import en from '../i18n/teams.en.js';

addMessages({ fr, en });

/** The kinds of teams, in the order shown. */
export const TEAM_KINDS = ['household', 'association', 'neighbourhood'];

export function teamKindName(kind) {
  return TEAM_KINDS.includes(kind) ? t(`teams.kind.${kind}`) : kind;
}

// A team name follows the nickname rules (docs/api.md) with 3 to 40
// characters; the node stays the judge (and checks the deny-list).
const NAME_CHARS = /^[A-Za-z0-9\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u017F \-_.'\u2019]+$/;
const NAME_EDGE = /^[A-Za-z0-9\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u017F]$/;

/** Catalogue key of the first problem with a team name, or null. */
export function teamNameProblem(name) {
  const chars = Array.from(name);
  if (chars.length < 3 || chars.length > 40) return 'teams.nameLength';
  if (!NAME_CHARS.test(name) || !NAME_EDGE.test(chars[0]) || !NAME_EDGE.test(chars[chars.length - 1]) || name.includes('  ')) {
    return 'teams.nameRules';
  }
  return null;
}

/** The sentence for the name field when the node refused a team name; null when the refusal is about something else. */
export function teamNameError(err) {
  if (err.code === 'name_taken') return errorText(err);
  if (err.code !== 'invalid_field') return null;
  return t(err.serverMessage.toLowerCase().includes('not allowed') ? 'teams.nameDenied' : 'teams.nameRules');
}
