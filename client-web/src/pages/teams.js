// Mes équipes (#/equipes): the participant's teams (a household, an
// association, a neighbourhood team: one of each kind at most) with their
// score per member, invite code and members; create a team, join one with a
// code, leave; captains renew the code, hand over the captaincy and remove
// members. Loaded lazily with its messages.
import { h, uid } from '../dom.js';
import { t } from '../i18n/index.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { errorText } from '../errors.js';
import { alertRegion, statusRegion, say, busy, select, field } from '../ui/form.js';
import { confirmDialog, openDialog } from '../ui/dialog.js';
import { copyButton } from '../ui/copy.js';
import { points, mass, formatInt, pageShell, joinFirst, loadingOrError, dropSession } from '../challenge/common.js';
import { TEAM_KINDS, teamKindName, teamNameProblem, teamNameError } from '../challenge/teams.js';

export default function teamsPage(app) {
  let teams = null;
  let loadError = null;
  let lost = false;
  let left = false;
  let working = false;
  let status = null; // {text} shown in the page's status region
  let formValues = { name: '', kind: 'household', code: '' };

  function fail(err, alert) {
    if (err.status === 401) {
      lost = true;
      dropSession(app);
      app.rerender('h1');
      return;
    }
    if (alert) say(alert, errorText(err));
  }

  function load(focus) {
    const who = session.participant();
    if (!who) return Promise.resolve();
    loadError = null;
    return api.myTeams(who.token).then(
      (body) => {
        if (left) return;
        teams = body && Array.isArray(body.teams) ? body.teams : [];
        app.rerender(focus);
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

  /** Runs a change, then reloads the teams and shows `doneText`. */
  async function change(run, doneText, alert, focus = '#teams-status') {
    const who = session.participant();
    if (!who || working) return false;
    working = true;
    if (alert) say(alert, null);
    try {
      await run(who.token);
      status = doneText;
      await load(focus);
      return true;
    } catch (err) {
      fail(err, alert);
      return false;
    } finally {
      working = false;
    }
  }

  function memberLine(team, m, alert) {
    const me = session.participant();
    const mine = me && m.id === me.id;
    const captain = team.role === 'captain';
    let remove = null;
    if (captain && !mine && m.role !== 'captain') {
      remove = h(
        'button',
        {
          type: 'button',
          class: 'button button-small button-secondary',
          'aria-label': t('teams.removeLabel', { nickname: m.nickname }),
          onclick: async () => {
            const ok = await confirmDialog({
              title: t('teams.removeTitle', { nickname: m.nickname }),
              text: t('teams.removeText', { nickname: m.nickname, team: team.name }),
              confirmLabel: t('teams.removeConfirm'),
              danger: true,
            });
            if (ok) change((tk) => api.removeMember(tk, team.id, m.id), t('teams.removed', { nickname: m.nickname, team: team.name }), alert);
          },
        },
        t('teams.remove'),
      );
    }
    return h(
      'li',
      { class: 'member' },
      h(
        'span',
        { class: 'member-name' },
        m.nickname,
        mine ? h('span', { class: 'muted' }, ` ${t('teams.you')}`) : null,
        m.role === 'captain' ? h('span', { class: 'tag tag-captain' }, t('teams.captain')) : null,
      ),
      remove,
    );
  }

  function teamCard(team) {
    const alert = alertRegion();
    const captain = team.role === 'captain';
    const titleId = `team-${team.id}`;
    const members = Array.isArray(team.member_list) ? team.member_list : [];
    const codeEl = h('span', { class: 'invite-code mono', id: `code-${team.id}` }, team.invite_code || '');
    const shareEl = h('p', { class: 'share', id: `share-${team.id}` }, t('teams.share', { name: team.name, code: team.invite_code || '' }));
    const copyStatus = statusRegion();
    const buttons = [];
    if (captain) {
      buttons.push(
        h(
          'button',
          {
            type: 'button',
            class: 'button button-secondary',
            onclick: async () => {
              const ok = await confirmDialog({
                title: t('teams.newCodeTitle'),
                text: t('teams.newCodeText'),
                confirmLabel: t('teams.newCodeConfirm'),
              });
              if (ok) change((tk) => api.newInvite(tk, team.id), t('teams.newCodeDone', { team: team.name }), alert);
            },
          },
          t('teams.newCode'),
        ),
      );
      const others = members.filter((m) => m.role !== 'captain');
      if (others.length) {
        buttons.push(
          h(
            'button',
            {
              type: 'button',
              class: 'button button-secondary',
              onclick: () => {
                const control = select(
                  'member',
                  others.map((m) => ({ value: m.id, label: m.nickname })),
                  others[0].id,
                  { id: uid('captain') },
                );
                openDialog({
                  title: t('teams.handOverTitle', { team: team.name }),
                  text: t('teams.handOverText'),
                  content: h('div', { class: 'field' }, h('label', { for: control.id }, t('teams.handOverTo')), control),
                  confirmLabel: t('teams.handOverConfirm'),
                  initialFocus: control,
                  onConfirm: () => control.value,
                }).then((member) => {
                  if (!member) return;
                  const who = others.find((m) => m.id === member);
                  change((tk) => api.setCaptain(tk, team.id, member), t('teams.handedOver', { nickname: who ? who.nickname : '', team: team.name }), alert);
                });
              },
            },
            t('teams.handOver'),
          ),
        );
      }
    }
    buttons.push(
      h(
        'button',
        {
          type: 'button',
          class: 'button button-danger',
          onclick: async () => {
            let text = t('teams.leaveText');
            if (team.members <= 1) text = t('teams.leaveLast');
            else if (captain) text = t('teams.leaveCaptain');
            const ok = await confirmDialog({
              title: t('teams.leaveTitle', { team: team.name }),
              text,
              confirmLabel: t('teams.leaveConfirm'),
              danger: true,
            });
            if (ok) change((tk) => api.leaveTeam(tk, team.id), t('teams.left', { team: team.name }), alert, 'h1');
          },
        },
        t('teams.leave'),
      ),
    );
    return h(
      'section',
      { class: 'card team-card', 'aria-labelledby': titleId, dataset: { team: team.id } },
      h('h2', { id: titleId }, team.name, h('span', { class: 'tag' }, teamKindName(team.kind))),
      h(
        'dl',
        { class: 'facts' },
        h('div', null, h('dt', null, t('teams.members')), h('dd', { class: 'team-members' }, typeof team.capacity === 'number' ? t('teams.membersOf', { n: formatInt(team.members), max: formatInt(team.capacity) }) : formatInt(team.members))),
        h('div', null, h('dt', null, t('teams.pointsAvg')), h('dd', null, points(team.points_avg))),
        h('div', null, h('dt', null, t('teams.co2eAvg')), h('dd', null, mass(team.co2e_avg_g))),
      ),
      team.invite_code
        ? h(
            'div',
            { class: 'invite' },
            h('p', null, t('teams.inviteCode'), ' ', codeEl),
            shareEl,
            copyStatus,
            h(
              'div',
              { class: 'actions' },
              copyButton({ source: codeEl, labelKey: 'teams.copyCode', doneKey: 'teams.codeCopied', status: copyStatus }),
              copyButton({ source: shareEl, labelKey: 'teams.copyShare', doneKey: 'teams.shareCopied', status: copyStatus }),
            ),
          )
        : null,
      h('h3', null, t('teams.memberList')),
      h('ul', { class: 'member-list' }, members.map((m) => memberLine(team, m, alert))),
      alert,
      h('div', { class: 'actions' }, buttons),
    );
  }

  function createForm(taken) {
    const free = TEAM_KINDS.filter((k) => !taken.has(k));
    if (!free.length) return null;
    if (!free.includes(formValues.kind)) formValues.kind = free[0];
    const alert = alertRegion();
    const name = field({
      labelKey: 'teams.name',
      hintKey: 'teams.nameHint',
      control: h('input', {
        type: 'text',
        name: 'name',
        autocomplete: 'off',
        maxlength: '40',
        value: formValues.name,
        oninput: (e) => {
          formValues.name = e.target.value;
        },
      }),
    });
    const kindSelect = select('kind', free.map((k) => ({ value: k, label: teamKindName(k) })), formValues.kind);
    kindSelect.addEventListener('change', () => {
      formValues.kind = kindSelect.value;
    });
    const kind = field({ labelKey: 'teams.kind', hintKey: 'teams.kindHint', control: kindSelect });
    const button = h('button', { type: 'submit', class: 'button button-primary' }, t('teams.create'));
    return h(
      'form',
      {
        class: 'card form',
        novalidate: true,
        'aria-labelledby': 'team-create-title',
        onsubmit: async (e) => {
          e.preventDefault();
          name.setError(null);
          const value = formValues.name.trim();
          const problem = teamNameProblem(value);
          if (problem) {
            name.setError(t(problem));
            name.control.focus();
            return;
          }
          const who = session.participant();
          if (!who || working) return;
          working = true;
          say(alert, null);
          busy(button, true, 'teams.creating');
          try {
            const team = await api.createTeam(who.token, value, formValues.kind);
            status = t('teams.created', { team: team.name, kind: teamKindName(team.kind) });
            formValues.name = '';
            working = false;
            await load('#teams-status');
          } catch (err) {
            working = false;
            busy(button, false);
            if (err.status === 401) {
              fail(err);
              return;
            }
            const nameError = teamNameError(err);
            if (nameError) {
              name.setError(nameError);
              name.control.focus();
            } else say(alert, errorText(err));
          }
        },
      },
      h('h2', { id: 'team-create-title' }, t('teams.createTitle')),
      name.el,
      kind.el,
      alert,
      h('div', { class: 'actions' }, button),
    );
  }

  function joinForm() {
    const alert = alertRegion();
    const code = field({
      labelKey: 'teams.code',
      hintKey: 'teams.codeHint',
      control: h('input', {
        type: 'text',
        name: 'invite_code',
        class: 'input-code input-medium',
        autocomplete: 'off',
        autocapitalize: 'characters',
        spellcheck: 'false',
        value: formValues.code,
        oninput: (e) => {
          formValues.code = e.target.value;
        },
      }),
    });
    const button = h('button', { type: 'submit', class: 'button button-primary' }, t('teams.join'));
    return h(
      'form',
      {
        class: 'card form',
        novalidate: true,
        'aria-labelledby': 'team-join-title',
        onsubmit: async (e) => {
          e.preventDefault();
          code.setError(null);
          say(alert, null);
          const value = formValues.code.trim().toUpperCase();
          if (!value) {
            code.setError(t('teams.codeEmpty'));
            code.control.focus();
            return;
          }
          const who = session.participant();
          if (!who || working) return;
          working = true;
          busy(button, true, 'teams.joining');
          try {
            const team = await api.joinTeam(who.token, value);
            status = t('teams.joined', { team: team.name, kind: teamKindName(team.kind) });
            formValues.code = '';
            working = false;
            await load('#teams-status');
          } catch (err) {
            working = false;
            busy(button, false);
            if (err.status === 401) {
              fail(err);
              return;
            }
            if (err.code === 'unknown_invite' || err.code === 'team_full') {
              code.setError(errorText(err));
              code.control.focus();
            } else if (err.code === 'rate_limited') {
              // At most 10 codes a minute per participant (not per connection).
              say(alert, t('teams.rateLimited', { seconds: err.retryAfter || 60 }));
            } else say(alert, errorText(err));
          }
        },
      },
      h('h2', { id: 'team-join-title' }, t('teams.joinTitle')),
      code.el,
      alert,
      h('div', { class: 'actions' }, button),
    );
  }

  function render() {
    const title = t('teams.title');
    if (!session.participant()) return pageShell('page-teams', title, joinFirst('teams.needAccount', lost));
    if (!teams) {
      return pageShell(
        'page-teams',
        title,
        loadingOrError(loadError, () => {
          loadError = null;
          app.rerender();
          load();
        }),
      );
    }
    const region = statusRegion();
    region.id = 'teams-status';
    region.tabIndex = -1;
    if (status) say(region, status);
    const taken = new Set(teams.map((x) => x.kind));
    return pageShell(
      'page-teams',
      title,
      h('p', { class: 'lead' }, t('teams.lead')),
      h(
        'details',
        { class: 'explain' },
        h('summary', null, t('teams.whyMeanTitle')),
        h('p', null, t('teams.whyMean')),
      ),
      region,
      teams.length ? teams.map(teamCard) : h('p', null, t('teams.none')),
      joinForm(),
      createForm(taken),
      h('p', null, h('a', { href: '#/classements' }, t('teams.toBoards'))),
    );
  }

  load();
  return {
    title: () => t('teams.title'),
    render,
    leave() {
      left = true;
    },
  };
}
