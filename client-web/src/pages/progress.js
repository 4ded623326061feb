// Ma progression (#/progression, linked from the profile): level and the
// next one, points, streaks and their rule, badges earned and still to earn,
// the weekly goal (edited with PATCH /me) and this week's progress. Loaded
// lazily with its messages.
import { h } from '../dom.js';
import { t, addMessages, formatDate } from '../i18n/index.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { errorText } from '../errors.js';
import { alertRegion, statusRegion, say, busy, select } from '../ui/form.js';
import {
  local,
  plural,
  points,
  formatInt,
  co2eSaved,
  wasteSaved,
  loadGame,
  pageShell,
  joinFirst,
  loadingOrError,
  dropSession,
} from '../challenge/common.js';
import fr from '../i18n/progress.fr.js';
import en from '../i18n/progress.en.js';

addMessages({ fr, en });

const GOAL_MIN = 1;
const GOAL_MAX = 21;

export default function progressPage(app) {
  let game = null;
  let progress = null;
  let me = null; // GET /me (weekly_goal)
  let loadError = null;
  let lost = false;
  let left = false;
  let goalStatus = null; // text shown after saving the goal

  function load() {
    const who = session.participant();
    if (!who) return;
    loadError = null;
    Promise.all([loadGame(), api.progress(who.token), api.me(who.token)]).then(
      ([g, p, m]) => {
        if (left) return;
        game = g;
        progress = p;
        me = m;
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

  function levelSection() {
    const level = progress.level;
    const levels = Array.isArray(game.levels) ? game.levels : [];
    const index = levels.findIndex((l) => l.id === level.id);
    const next = index >= 0 ? levels[index + 1] : null;
    const nextAt = typeof level.next_at === 'number' ? level.next_at : next ? next.min_points : null;
    let bar = null;
    if (nextAt !== null) {
      const span = Math.max(1, nextAt - level.min_points);
      const done = Math.max(0, Math.min(span, progress.points - level.min_points));
      bar = [
        h('p', { id: 'level-next' }, t('progress.toNext', {
          left: points(Math.max(0, nextAt - progress.points)),
          name: next ? local(next.name) : '',
          icon: next ? next.icon : '',
        })),
        h('progress', { max: String(span), value: String(done), 'aria-labelledby': 'level-next' }),
        h('p', { class: 'muted' }, t('progress.threshold', { from: formatInt(level.min_points), to: formatInt(nextAt) })),
      ];
    } else {
      bar = h('p', null, t('progress.topLevel'));
    }
    return h(
      'section',
      { class: 'card level-card', 'aria-labelledby': 'level-title' },
      h('h2', { id: 'level-title' }, t('progress.levelTitle')),
      h(
        'p',
        { class: 'level-line' },
        h('span', { class: 'level-icon', 'aria-hidden': 'true' }, level.icon),
        h('span', null, h('strong', { class: 'level-name' }, local(level.name)), h('br'), points(progress.points)),
      ),
      bar,
      h(
        'p',
        { class: 'muted' },
        t('progress.seasonTotals', {
          list: [
            plural('progress.checkins', progress.checkins),
            co2eSaved(progress.co2e_avoided_g),
            progress.waste_avoided_g > 0 && wasteSaved(progress.waste_avoided_g),
          ]
            .filter(Boolean)
            .join(', '),
        }),
      ),
      levels.length
        ? h(
            'details',
            { class: 'explain' },
            h('summary', null, t('progress.allLevels')),
            h(
              'ol',
              { class: 'level-list' },
              levels.map((l) =>
                h(
                  'li',
                  { class: l.id === level.id ? 'level-current' : null, 'aria-current': l.id === level.id ? 'step' : false },
                  h('span', { 'aria-hidden': 'true' }, `${l.icon} `),
                  t('progress.levelFrom', { name: local(l.name), points: points(l.min_points) }),
                ),
              ),
            ),
          )
        : null,
    );
  }

  function streakSection() {
    const s = progress.streak || { current: 0, best: 0 };
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'streak-title' },
      h('h2', { id: 'streak-title' }, t('progress.streakTitle')),
      h(
        'dl',
        { class: 'facts' },
        h('div', null, h('dt', null, t('progress.streakCurrent')), h('dd', { id: 'streak-current' }, plural('progress.weeks', s.current))),
        h('div', null, h('dt', null, t('progress.streakBest')), h('dd', null, plural('progress.weeks', s.best))),
      ),
      game.streak_rule ? h('p', { class: 'muted' }, local(game.streak_rule)) : null,
    );
  }

  function goalSection() {
    const w = progress.week;
    const alert = alertRegion();
    const status = statusRegion();
    status.id = 'goal-status';
    status.tabIndex = -1;
    if (goalStatus) say(status, goalStatus);
    const options = [];
    for (let n = GOAL_MIN; n <= GOAL_MAX; n += 1) options.push({ value: String(n), label: plural('progress.perWeek', n) });
    const current = me && typeof me.weekly_goal === 'number' ? me.weekly_goal : w.goal;
    const control = select('weekly_goal', options, String(current), { id: 'weekly-goal' });
    const button = h('button', { type: 'submit', class: 'button button-secondary' }, t('progress.goalSave'));
    const form = h(
      'form',
      {
        class: 'form-inline',
        novalidate: true,
        onsubmit: async (e) => {
          e.preventDefault();
          const who = session.participant();
          if (!who || button.disabled) return;
          const goal = Number(control.value);
          say(alert, null);
          goalStatus = null;
          if (goal === current) {
            say(status, t('progress.goalUnchanged'));
            return;
          }
          busy(button, true, 'progress.goalSaving');
          try {
            me = await api.updateMe(who.token, { weekly_goal: goal });
            // This week's goal follows the new one.
            progress = await api.progress(who.token);
            goalStatus = t('progress.goalSaved', { goal: plural('progress.perWeek', goal) });
            if (!left) app.rerender('#goal-status');
          } catch (err) {
            busy(button, false);
            if (err.status === 401) {
              lost = true;
              dropSession(app);
              app.rerender('h1');
              return;
            }
            say(alert, errorText(err));
          }
        },
      },
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'weekly-goal' }, t('progress.goalLabel')),
        control,
        h('p', { class: 'hint' }, t('progress.goalHint', { min: GOAL_MIN, max: GOAL_MAX })),
      ),
      alert,
      h('div', { class: 'actions' }, button),
    );
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'goal-title' },
      h('h2', { id: 'goal-title' }, t('progress.goalTitle')),
      h('p', { id: 'goal-week' }, t('progress.goalWeek', { done: plural('progress.checkins', w.checkins), goal: w.goal })),
      h('progress', { max: String(Math.max(1, w.goal)), value: String(Math.min(w.checkins, w.goal)), 'aria-labelledby': 'goal-week' }),
      w.goal_met ? h('p', { class: 'goal-met' }, t('progress.goalMet')) : null,
      typeof game.goal_bonus_points === 'number' && game.goal_bonus_points > 0
        ? h('p', { class: 'muted' }, t('progress.goalBonus', { points: points(game.goal_bonus_points) }))
        : null,
      status,
      form,
    );
  }

  function badgesSection() {
    const all = Array.isArray(game.badges) ? game.badges : [];
    const earned = new Map((progress.badges || []).map((b) => [b.id, b.earned_at]));
    const got = all.filter((b) => earned.has(b.id));
    const toEarn = all.filter((b) => !earned.has(b.id));
    const item = (b, when) =>
      h(
        'li',
        { class: ['badge', when ? 'badge-earned' : 'badge-locked'] },
        h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, b.icon),
        h(
          'span',
          { class: 'badge-text' },
          h('strong', null, local(b.name)),
          h('span', null, local(b.description)),
          when ? h('span', { class: 'muted' }, t('progress.earnedOn', { date: formatDate(when) })) : h('span', { class: 'visually-hidden' }, t('progress.notYet')),
        ),
      );
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'badges-title' },
      h('h2', { id: 'badges-title' }, t('progress.badgesTitle')),
      h('h3', null, t('progress.badgesEarned', { count: got.length, total: all.length })),
      got.length ? h('ul', { class: 'badge-list', id: 'badges-earned' }, got.map((b) => item(b, earned.get(b.id)))) : h('p', null, t('progress.noBadge')),
      toEarn.length ? [h('h3', null, t('progress.badgesToEarn')), h('ul', { class: 'badge-list', id: 'badges-to-earn' }, toEarn.map((b) => item(b, null)))] : null,
    );
  }

  function render() {
    const title = t('progress.title');
    if (!session.participant()) return pageShell('page-progress', title, joinFirst('progress.needAccount', lost));
    if (!progress || !game) {
      return pageShell(
        'page-progress',
        title,
        loadingOrError(loadError, () => {
          loadError = null;
          app.rerender();
          load();
        }),
      );
    }
    return pageShell(
      'page-progress',
      title,
      levelSection(),
      goalSection(),
      streakSection(),
      badgesSection(),
      h('p', null, h('a', { href: '#/profil' }, t('progress.toProfile'))),
    );
  }

  load();
  return {
    title: () => t('progress.title'),
    render,
    leave() {
      left = true;
    },
  };
}
