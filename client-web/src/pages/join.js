// Rejoindre: a pseudonym and three optional fields, then the recovery code.
import { h } from '../dom.js';
import { t, lang, setLang } from '../i18n/index.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { errorText, errorField } from '../errors.js';
import { alertRegion, say, busy } from '../ui/form.js';
import { profileFields } from '../ui/profile-fields.js';
import { recoveryCodeView } from '../ui/recovery-code.js';
import { nicknameProblem, householdValue } from '../validate.js';

export default function joinPage(app) {
  const values = { nickname: '', neighbourhood: '', household: '', lang: lang() };
  let langTouched = false;
  let neighbourhoods; // undefined while loading, null if unavailable
  let fields = null;
  let secrets = null; // {nickname, recovery_code} once registered
  let sending = false;

  app.city().then((c) => {
    neighbourhoods = c && Array.isArray(c.neighbourhoods) ? c.neighbourhoods : null;
    if (fields && fields.nickname.el.isConnected) fields.setNeighbourhoods(neighbourhoods);
  });

  function validate() {
    const problems = [];
    const nickProblem = nicknameProblem(values.nickname.trim());
    if (nickProblem) problems.push([fields.nickname, t(nickProblem)]);
    if (Number.isNaN(householdValue(values.household))) problems.push([fields.household, t('validation.household')]);
    return problems;
  }

  async function submit(event, alert, button) {
    event.preventDefault();
    if (sending) return;
    say(alert, null);
    fields.all.forEach((f) => f.setError(null));
    const problems = validate();
    if (problems.length) {
      problems.forEach(([f, text]) => f.setError(text));
      problems[0][0].control.focus();
      return;
    }
    const body = { nickname: values.nickname.trim(), lang: values.lang };
    if (values.neighbourhood) body.neighbourhood = values.neighbourhood;
    const household = householdValue(values.household);
    if (household !== undefined) body.household_size = household;
    sending = true;
    busy(button, true, 'join.submitting');
    try {
      const res = await api.register(body);
      session.setParticipant({ token: res.token, id: res.id });
      secrets = { nickname: res.nickname, recovery_code: res.recovery_code };
      app.refreshChrome();
      if (values.lang !== lang()) setLang(values.lang); // re-renders the page
      app.rerender('#code-title');
    } catch (err) {
      busy(button, false);
      const name = errorField(err);
      const target = name && fields.all.find((f) => f.control.name === name);
      if (target) {
        target.setError(errorText(err));
        target.control.focus();
      } else {
        say(alert, errorText(err));
      }
    } finally {
      sending = false;
    }
  }

  function renderForm() {
    if (!langTouched) values.lang = lang();
    fields = profileFields({
      values,
      neighbourhoods,
      onLangTouched: () => {
        langTouched = true;
      },
    });
    const alert = alertRegion();
    const button = h('button', { type: 'submit', class: 'button button-primary' }, t('join.submit'));
    const form = h(
      'form',
      { class: 'card form', novalidate: true, onsubmit: (e) => submit(e, alert, button) },
      h(
        'p',
        { class: 'privacy-note' },
        t('join.noPersonal'),
        ' ',
        h('a', { href: '#/confidentialite' }, t('join.privacyLink')),
      ),
      fields.all.map((f) => f.el),
      alert,
      h('div', { class: 'actions' }, button),
    );
    return h(
      'div',
      { class: 'page page-join' },
      h('h1', null, t('join.title')),
      h('p', { class: 'lead' }, t('join.intro')),
      form,
      h('p', { class: 'aside' }, t('join.already'), ' ', h('a', { href: '#/recuperer' }, t('join.alreadyLink'))),
    );
  }

  function render() {
    if (secrets) {
      return h(
        'div',
        { class: 'page page-join' },
        h('h1', null, t('join.title')),
        recoveryCodeView({
          secrets,
          recovered: false,
          onContinue: () => {
            secrets = null;
            app.navigate('#/profil');
          },
        }),
      );
    }
    return renderForm();
  }

  return {
    title: () => t('join.title'),
    render,
    leave() {
      secrets = null; // the code is shown once: never again after leaving the page
    },
  };
}
