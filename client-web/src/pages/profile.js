// Mon profil: see and edit the profile, export everything, erase the account.
// A 401 means the token on this device is dead (recovered elsewhere, erased):
// it is dropped and the reader is offered recovery.
import { h } from '../dom.js';
import { t, lang, setLang, formatDate } from '../i18n/index.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { errorText, errorField } from '../errors.js';
import { alertRegion, statusRegion, say, busy, checkbox } from '../ui/form.js';
import { profileFields } from '../ui/profile-fields.js';
import { confirmDialog } from '../ui/dialog.js';
import { nicknameProblem, householdValue } from '../validate.js';
import { clearAnswers } from '../footprint/storage.js';

const EXPORT_FILE = 'zcnode-export.json';

function filenameFrom(res) {
  const cd = res.headers.get('Content-Disposition') || '';
  const m = /filename="?([A-Za-z0-9._-]+)"?/.exec(cd);
  return m ? m[1] : EXPORT_FILE;
}

export default function profilePage(app) {
  let profile = null; // GET /me
  let loadError = null; // ApiError while loading
  let lost = false; // the stored token was refused
  let values = null; // the form's values
  let neighbourhoods;
  let fields = null;
  let working = false;
  let lastStatus = null; // catalogue key + vars, kept across re-renders
  let lastStatusVars;

  function loseSession() {
    session.clearParticipant();
    lost = true;
    app.refreshChrome();
    app.rerender('h1');
  }

  function load() {
    const me = session.participant();
    if (!me) return;
    loadError = null;
    api.me(me.token).then(
      (p) => {
        profile = p;
        values = {
          nickname: p.nickname,
          neighbourhood: p.neighbourhood || '',
          household: String(p.household_size),
          lang: p.lang,
          hidden: Boolean(p.hidden),
        };
        app.rerender();
      },
      (err) => {
        if (err.status === 401) loseSession();
        else {
          loadError = err;
          app.rerender();
        }
      },
    );
  }

  app.city().then((c) => {
    neighbourhoods = c && Array.isArray(c.neighbourhoods) ? c.neighbourhoods : null;
    if (fields && fields.nickname.el.isConnected) fields.setNeighbourhoods(neighbourhoods);
  });

  function changes() {
    const out = {};
    const nick = values.nickname.trim();
    if (nick !== profile.nickname) out.nickname = nick;
    const hood = values.neighbourhood || null;
    if (hood !== (profile.neighbourhood || null)) out.neighbourhood = hood;
    const household = householdValue(values.household);
    if (household !== profile.household_size) out.household_size = household;
    if (values.lang !== profile.lang) out.lang = values.lang;
    if (values.hidden !== Boolean(profile.hidden)) out.hidden = values.hidden;
    return out;
  }

  async function save(event, alert, status, button) {
    event.preventDefault();
    if (working) return;
    say(alert, null);
    say(status, null);
    lastStatus = null;
    fields.all.forEach((f) => f.setError(null));
    const problems = [];
    const nickProblem = nicknameProblem(values.nickname.trim());
    if (nickProblem) problems.push([fields.nickname, t(nickProblem)]);
    const household = householdValue(values.household);
    if (household === undefined || Number.isNaN(household)) problems.push([fields.household, t('validation.household')]);
    if (problems.length) {
      problems.forEach(([f, text]) => f.setError(text));
      problems[0][0].control.focus();
      return;
    }
    const body = changes();
    if (Object.keys(body).length === 0) {
      say(status, t('profile.unchanged'));
      return;
    }
    const me = session.participant();
    if (!me) {
      loseSession();
      return;
    }
    working = true;
    busy(button, true, 'profile.saving');
    try {
      profile = await api.updateMe(me.token, body);
      values.nickname = profile.nickname;
      lastStatus = 'profile.saved';
      if (profile.lang !== lang()) setLang(profile.lang);
      app.rerender('#profile-status');
    } catch (err) {
      busy(button, false);
      if (err.status === 401) {
        loseSession();
        return;
      }
      const name = errorField(err);
      const target = name && fields.all.find((f) => f.control.name === name);
      if (target) {
        target.setError(errorText(err));
        target.control.focus();
      } else {
        say(alert, errorText(err));
      }
    } finally {
      working = false;
    }
  }

  async function download(alert, status, button) {
    if (working) return;
    const me = session.participant();
    if (!me) {
      loseSession();
      return;
    }
    say(alert, null);
    working = true;
    busy(button, true, 'profile.exporting');
    try {
      const res = await api.exportMe(me.token);
      const blob = await res.blob();
      const file = filenameFrom(res);
      const url = URL.createObjectURL(new Blob([blob], { type: 'application/json' }));
      const link = h('a', { href: url, download: file, hidden: true });
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      lastStatus = 'profile.exported';
      lastStatusVars = { file };
      say(status, t(lastStatus, lastStatusVars));
    } catch (err) {
      if (err.status === 401) {
        loseSession();
        return;
      }
      say(alert, errorText(err));
    } finally {
      working = false;
      if (button.isConnected) busy(button, false);
    }
  }

  async function erase(alert, button) {
    if (working) return;
    const ok = await confirmDialog({
      title: t('profile.deleteTitle'),
      text: t('profile.deleteText'),
      confirmLabel: t('profile.deleteConfirm'),
      danger: true,
    });
    if (!ok) return;
    const me = session.participant();
    if (!me) {
      loseSession();
      return;
    }
    say(alert, null);
    working = true;
    busy(button, true, 'profile.deleting');
    try {
      await api.deleteMe(me.token);
      session.clearParticipant();
      // The footprint answers kept on this device go with the account.
      clearAnswers();
      app.refreshChrome();
      app.flash('profile.deleted');
      app.navigate('#/');
    } catch (err) {
      busy(button, false);
      if (err.status === 401) {
        loseSession();
        return;
      }
      say(alert, errorText(err));
    } finally {
      working = false;
    }
  }

  function page(...children) {
    return h('div', { class: 'page page-profile' }, h('h1', null, t('profile.title')), ...children);
  }

  function offers() {
    return h(
      'div',
      { class: 'actions actions-stack' },
      h('a', { class: 'button button-primary', href: '#/recuperer' }, t('profile.offerRecover')),
      h('a', { class: 'button button-secondary', href: '#/rejoindre' }, t('profile.offerJoin')),
    );
  }

  function render() {
    if (lost) {
      return page(h('div', { class: 'notice notice-error', role: 'alert' }, t('profile.sessionLost')), offers());
    }
    if (!session.participant()) return page(h('p', null, t('profile.none')), offers());
    if (loadError) {
      return page(
        h('div', { class: 'notice notice-error', role: 'alert' }, errorText(loadError)),
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'button button-secondary',
              onclick: () => {
                loadError = null;
                app.rerender();
                load();
              },
            },
            t('common.retry'),
          ),
        ),
      );
    }
    if (!profile) return page(h('p', { role: 'status', class: 'loading' }, t('profile.loading')));

    fields = profileFields({ values, neighbourhoods, householdOptional: false });
    fields.household.control.required = true;
    const hidden = checkbox({ labelKey: 'field.hidden', hintKey: 'field.hiddenHint', checked: values.hidden, name: 'hidden' });
    hidden.control.addEventListener('change', (e) => {
      values.hidden = e.target.checked;
    });
    const alert = alertRegion();
    const status = statusRegion();
    status.id = 'profile-status';
    status.tabIndex = -1;
    if (lastStatus) say(status, t(lastStatus, lastStatusVars));
    const saveButton = h('button', { type: 'submit', class: 'button button-primary' }, t('profile.save'));
    const form = h(
      'form',
      {
        class: 'card form',
        novalidate: true,
        'aria-labelledby': 'profile-edit-title',
        onsubmit: (e) => save(e, alert, status, saveButton),
      },
      h('h2', { id: 'profile-edit-title' }, t('profile.editTitle')),
      fields.all.map((f) => f.el),
      hidden.el,
      h('div', { class: 'actions' }, saveButton),
    );

    const dataAlert = alertRegion();
    const exportButton = h('button', { type: 'button', class: 'button button-secondary' }, t('profile.export'));
    exportButton.addEventListener('click', () => download(dataAlert, status, exportButton));
    const deleteButton = h('button', { type: 'button', class: 'button button-danger' }, t('profile.delete'));
    deleteButton.addEventListener('click', () => erase(dataAlert, deleteButton));

    return page(
      h('p', { class: 'lead' }, h('strong', { class: 'nickname' }, profile.nickname)),
      h('p', { class: 'muted' }, t('profile.memberSince', { date: formatDate(profile.created_at) })),
      status,
      alert,
      form,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'profile-challenge-title' },
        h('h2', { id: 'profile-challenge-title' }, t('profile.challengeTitle')),
        h('p', null, t('profile.challengeText')),
        h(
          'div',
          { class: 'actions actions-stack' },
          h('a', { class: 'button button-primary', href: '#/progression' }, t('nav.progress')),
          h('a', { class: 'button button-secondary', href: '#/equipes' }, t('nav.teams')),
          h('a', { class: 'button button-secondary', href: '#/dechets' }, t('nav.waste')),
        ),
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'profile-footprint-title' },
        h('h2', { id: 'profile-footprint-title' }, t('profile.footprintTitle')),
        h('p', null, t('profile.footprintText')),
        h('div', { class: 'actions' }, h('a', { class: 'button button-secondary', href: '#/empreinte' }, t('profile.footprintLink'))),
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'profile-data-title' },
        h('h2', { id: 'profile-data-title' }, t('profile.dataTitle')),
        h('p', null, t('profile.dataText')),
        dataAlert,
        h('div', { class: 'actions actions-stack' }, exportButton, deleteButton),
      ),
    );
  }

  load();
  return { title: () => t('profile.title'), render };
}
