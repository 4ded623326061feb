// Gestes (#/actions): the catalogue of actions by category, with what each
// one saves, how often it counts and why; commit to an action, and check it
// in ("J'ai fait ce geste") for today or a day of the last week. The result
// (points, CO2e and waste avoided, the week against the goal, new badges,
// the weekly cap) is shown in the action's card and read out by a live
// region. Loaded lazily with its messages.
import { h, uid } from '../dom.js';
import { t, addMessages } from '../i18n/index.js';
import { api } from '../api.js';
import * as session from '../session.js';
import { errorText } from '../errors.js';
import { openDialog } from '../ui/dialog.js';
import { select } from '../ui/form.js';
import {
  CATEGORIES,
  CATEGORY_ICONS,
  local,
  plural,
  points,
  mass,
  formatInt,
  co2eSaved,
  wasteSaved,
  today,
  addDays,
  isoWeek,
  dayLabel,
  loadActions,
  loadGame,
  pageShell,
  loadingOrError,
  dropSession,
} from '../challenge/common.js';
import { celebration } from '../challenge/celebrate.js';
import fr from '../i18n/actions.fr.js';
import en from '../i18n/actions.en.js';

addMessages({ fr, en });

const BACKDATE_DAYS = 7;
let onlyMine = false; // the filter, kept for the visit

/** The sentence for a refused check-in, by the node's error code. */
function refusalText(err, action, date) {
  if (err.code === 'already_checked_in') {
    if (action.frequency === 'once') return t('actions.already.once');
    if (action.frequency === 'weekly') {
      return isoWeek(date) === isoWeek(today()) ? t('actions.already.week') : t('actions.already.thatWeek');
    }
    return date === today() ? t('actions.already.today') : t('actions.already.day', { day: dayLabel(date) });
  }
  return errorText(err);
}

export default function actionsPage(app) {
  let actions = null;
  let game = null;
  let loadError = null;
  let commitments = new Set();
  let recent = []; // check-ins, newest first (GET /me/checkins)
  let progress = null; // GET /me/progress
  let season = undefined; // the city's current season (null: none)
  let lost = false;
  let left = false;
  const results = new Map(); // action id → {ok, data | text, date}
  const working = new Set(); // action ids with a request under way
  let listEl = null;
  let weekEl = null;

  // One polite live region kept across redraws: it reads each result out.
  const announcer = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  function announce(text) {
    announcer.textContent = '';
    // A new text node after a tick, so the same sentence twice is read twice.
    setTimeout(() => {
      announcer.textContent = text;
    }, 50);
  }

  function loseSession() {
    lost = true;
    dropSession(app);
    app.rerender('h1');
  }

  function load() {
    loadError = null;
    const me = session.participant();
    const parts = [loadActions(), loadGame().catch(() => null), app.city()];
    if (me) {
      parts.push(api.commitments(me.token), api.checkins(me.token), api.progress(me.token));
    }
    Promise.all(parts).then(
      ([list, rules, city, mine, checks, prog]) => {
        if (left) return;
        actions = list;
        game = rules;
        season = city ? city.season || null : undefined;
        if (mine) commitments = new Set((mine.commitments || []).map((c) => c.action));
        if (checks) recent = checks.checkins || [];
        if (prog) progress = prog;
        app.rerender();
      },
      (err) => {
        if (left) return;
        if (err.status === 401) {
          loseSession();
          return;
        }
        loadError = errorText(err);
        app.rerender();
      },
    );
  }

  /** Whether the action already counts for its current period. */
  function doneNow(action) {
    const day = today();
    const week = isoWeek(day);
    return recent.some((c) => {
      if (c.action !== action.id) return false;
      if (action.frequency === 'daily') return c.date === day;
      if (action.frequency === 'weekly') return isoWeek(c.date) === week;
      return !progress || c.period === progress.season;
    });
  }

  // --- the week's summary -------------------------------------------------
  function weekSummary() {
    if (!progress || !progress.week) return null;
    const w = progress.week;
    return [
      h('h2', { class: 'h3' }, t('actions.weekTitle')),
      h('p', null, t('actions.weekLine', { done: plural('actions.checkins', w.checkins), goal: w.goal })),
      h('progress', {
        max: String(Math.max(1, w.goal)),
        value: String(Math.min(w.checkins, w.goal)),
        'aria-label': t('actions.weekProgress', { done: w.checkins, goal: w.goal }),
      }),
      h(
        'p',
        { class: 'muted' },
        t('actions.weekTotals', {
          list: [points(w.points), w.co2e_avoided_g > 0 && co2eSaved(w.co2e_avoided_g), w.waste_avoided_g > 0 && wasteSaved(w.waste_avoided_g)]
            .filter(Boolean)
            .join(', '),
        }),
      ),
      w.goal_met ? h('p', { class: 'goal-met' }, t('actions.goalMet')) : null,
      h('p', null, h('a', { href: '#/progression' }, t('actions.toProgress'))),
    ];
  }

  function refreshWeek() {
    if (weekEl && weekEl.isConnected) {
      weekEl.replaceChildren(...[weekSummary()].flat().filter(Boolean));
    }
  }

  // --- check-in -------------------------------------------------------------
  /** Shows a button as working without disabling it (a disabled button would lose the focus). */
  function markBusy(id, key) {
    const button = document.getElementById(id);
    if (!button) return;
    button.setAttribute('aria-busy', 'true');
    button.textContent = t(key);
  }

  async function checkIn(action, date, focusAfter) {
    const me = session.participant();
    if (!me || working.has(action.id)) return;
    working.add(action.id);
    markBusy(focusAfter, 'actions.sending');
    const body = { action: action.id };
    if (date !== today()) body.date = date;
    const before = progress ? progress.level : null;
    const goalWasMet = Boolean(progress && progress.week && progress.week.goal_met);
    try {
      const res = await api.checkin(me.token, body);
      if (left) return;
      recent.unshift({ action: action.id, date: res.date, period: res.period, points: res.points });
      if (progress) {
        progress.week = res.week;
        progress.level = res.level;
        progress.points = res.totals.points;
      }
      const levelUp = before && res.level && before.id !== res.level.id ? res.level : null;
      const bonus = !goalWasMet && res.week && res.week.goal_met && game ? game.goal_bonus_points || 0 : 0;
      results.set(action.id, { ok: true, data: res, date, levelUp, bonus });
      announce(resultSentence(action, res, date, levelUp, bonus));
    } catch (err) {
      if (left) return;
      if (err.status === 401) {
        loseSession();
        return;
      }
      if (err.code === 'already_checked_in' && err.body && err.body.checkin) {
        const c = err.body.checkin;
        if (!recent.some((r) => r.action === c.action && r.period === c.period)) recent.unshift(c);
      }
      const text = refusalText(err, action, date);
      results.set(action.id, { ok: false, text });
      announce(text);
    } finally {
      working.delete(action.id);
    }
    redraw(action, focusAfter);
    refreshWeek();
  }

  function resultSentence(action, res, date, levelUp, bonus) {
    const parts = [
      date === today() ? t('actions.done', { title: local(action.title) }) : t('actions.doneOn', { title: local(action.title), day: dayLabel(date) }),
      gains(res),
      t('actions.weekLine', { done: plural('actions.checkins', res.week.checkins), goal: res.week.goal }),
    ];
    if (bonus > 0) parts.push(t('actions.goalBonus', { points: points(bonus) }));
    if (res.capped) parts.push(t('actions.cappedTitle'), capText());
    for (const id of res.new_badges || []) parts.push(t('actions.newBadge', { name: badgeName(id) }));
    if (levelUp) parts.push(t('actions.levelUp', { name: local(levelUp.name) }));
    return parts.join(' ');
  }

  /** The weekly cap explained, with the node's own limits. */
  function capVars() {
    const caps = (game && game.caps) || { co2e_g: 10000, waste_g: 5000, points: 500 };
    return { co2e: mass(caps.co2e_g), waste: mass(caps.waste_g), points: formatInt(caps.points) };
  }

  function capText() {
    return t('actions.capped', capVars());
  }

  function gains(res) {
    const bits = [t('actions.plusPoints', { points: points(res.points) })];
    if (res.co2e_avoided_g > 0) bits.push(co2eSaved(res.co2e_avoided_g));
    if (res.waste_avoided_g > 0) bits.push(wasteSaved(res.waste_avoided_g));
    return bits.join(' · ');
  }

  function badge(id) {
    return game && Array.isArray(game.badges) ? game.badges.find((b) => b.id === id) : null;
  }

  function badgeName(id) {
    const b = badge(id);
    return b ? local(b.name) : id;
  }

  function chooseDay(action) {
    const first = season && season.starts_on ? season.starts_on : null;
    const options = [];
    for (let i = 0; i <= BACKDATE_DAYS; i += 1) {
      const day = addDays(today(), -i);
      if (first && day < first) break;
      const label = i === 0 ? t('actions.today') : i === 1 ? t('actions.yesterday', { day: dayLabel(day) }) : dayLabel(day);
      options.push({ value: day, label });
    }
    const control = select('date', options, options.length > 1 ? options[1].value : options[0].value, { id: uid('day') });
    const field = h(
      'div',
      { class: 'field' },
      h('label', { for: control.id }, t('actions.dayLabel')),
      control,
    );
    openDialog({
      title: t('actions.otherDayTitle', { title: local(action.title) }),
      text: t('actions.otherDayText', { days: BACKDATE_DAYS }),
      content: field,
      confirmLabel: t('actions.otherDayConfirm'),
      initialFocus: control,
      onConfirm: () => control.value,
    }).then((day) => {
      if (day && !left) checkIn(action, day, `other-${action.id}`);
    });
  }

  // --- commitments ----------------------------------------------------------
  async function toggleCommit(action) {
    const me = session.participant();
    if (!me || working.has(action.id)) return;
    working.add(action.id);
    const committed = commitments.has(action.id);
    markBusy(`commit-${action.id}`, 'actions.sending');
    try {
      if (committed) await api.uncommit(me.token, action.id);
      else await api.commit(me.token, action.id);
      if (committed) commitments.delete(action.id);
      else commitments.add(action.id);
      announce(t(committed ? 'actions.uncommitted' : 'actions.committed', { title: local(action.title) }));
    } catch (err) {
      if (err.status === 401) {
        working.delete(action.id);
        loseSession();
        return;
      }
      // Already in the wanted state (another tab did it): take it as done.
      if (!committed && err.code === 'conflict') commitments.add(action.id);
      else if (committed && err.code === 'not_found') commitments.delete(action.id);
      else {
        const text = errorText(err);
        results.set(action.id, { ok: false, text });
        announce(text);
      }
    } finally {
      working.delete(action.id);
    }
    if (left) return;
    if (onlyMine && !commitments.has(action.id)) {
      // The card leaves the filtered list: redraw it, focus the filter.
      app.rerender('#actions-filter');
      return;
    }
    redraw(action, `commit-${action.id}`);
  }

  // --- cards ------------------------------------------------------------------
  function resultBox(action) {
    const r = results.get(action.id);
    if (!r) return null;
    if (!r.ok) {
      return h('div', { class: 'notice notice-error checkin-result', id: `result-${action.id}`, tabindex: '-1' }, r.text);
    }
    const res = r.data;
    const w = res.week;
    const newBadges = (res.new_badges || []).map((id) => {
      const b = badge(id);
      return celebration(
        h(
          'p',
          { class: 'badge-new' },
          b ? h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, b.icon) : null,
          t('actions.newBadge', { name: badgeName(id) }),
        ),
      );
    });
    return h(
      'div',
      { class: 'notice notice-ok checkin-result', id: `result-${action.id}`, tabindex: '-1' },
      h('p', { class: 'checkin-title' }, r.date === today() ? t('actions.doneShort') : t('actions.doneOnShort', { day: dayLabel(r.date) })),
      h('p', { class: 'checkin-gains' }, gains(res)),
      h('p', null, t('actions.weekLine', { done: plural('actions.checkins', w.checkins), goal: w.goal })),
      h('progress', {
        max: String(Math.max(1, w.goal)),
        value: String(Math.min(w.checkins, w.goal)),
        'aria-label': t('actions.weekProgress', { done: w.checkins, goal: w.goal }),
      }),
      r.bonus > 0
        ? h('p', { class: 'goal-met' }, t('actions.goalBonus', { points: points(r.bonus) }))
        : w.goal_met
          ? h('p', { class: 'goal-met' }, t('actions.goalMet'))
          : null,
      res.capped ? h('div', { class: 'cap-note' }, h('p', null, h('strong', null, t('actions.cappedTitle'))), h('p', null, capText())) : null,
      newBadges,
      r.levelUp
        ? celebration(
            h('p', { class: 'badge-new' }, h('span', { class: 'badge-icon', 'aria-hidden': 'true' }, r.levelUp.icon), t('actions.levelUp', { name: local(r.levelUp.name) })),
          )
        : null,
    );
  }

  function card(action) {
    const me = session.participant();
    const committed = commitments.has(action.id);
    const done = me ? doneNow(action) : false;
    const titleId = `action-${action.id}`;
    const savings = [];
    if (action.co2e_g > 0) savings.push(h('li', null, co2eSaved(action.co2e_g)));
    if (action.waste_g > 0) savings.push(h('li', null, wasteSaved(action.waste_g)));
    if (!savings.length) savings.push(h('li', null, t('actions.noSaving')));
    const buttons = [];
    if (me && season !== null) {
      if (!done) {
        buttons.push(
          h(
            'button',
            {
              type: 'button',
              class: 'button button-primary',
              id: `do-${action.id}`,
              'aria-describedby': titleId,
              onclick: () => checkIn(action, today(), `do-${action.id}`),
            },
            t('actions.do'),
          ),
        );
      }
      buttons.push(
        h(
          'button',
          {
            type: 'button',
            class: 'button button-secondary button-small',
            id: `other-${action.id}`,
            'aria-describedby': titleId,
            onclick: () => chooseDay(action),
          },
          t('actions.otherDay'),
        ),
      );
    }
    if (me) {
      buttons.push(
        h(
          'button',
          {
            type: 'button',
            class: 'button button-secondary button-small',
            id: `commit-${action.id}`,
            'aria-describedby': titleId,
            onclick: () => toggleCommit(action),
          },
          t(committed ? 'actions.uncommit' : 'actions.commit'),
        ),
      );
    }
    return h(
      'li',
      { class: ['card', 'action-card', committed && 'action-committed'], dataset: { action: action.id } },
      h(
        'h3',
        { id: titleId },
        local(action.title),
        committed ? h('span', { class: 'tag' }, t('actions.committedTag')) : null,
      ),
      h('ul', { class: 'action-savings' }, savings),
      h(
        'p',
        { class: 'action-meta' },
        h('span', null, t(`ch.frequency.${action.frequency}`)),
        h('span', { 'aria-hidden': 'true' }, ' · '),
        h('span', null, points(action.points)),
      ),
      done ? h('p', { class: 'action-done' }, t(`actions.doneNow.${action.frequency}`)) : null,
      h(
        'details',
        { class: 'explain action-more' },
        h('summary', null, t('actions.more')),
        h('h4', null, t('actions.why')),
        h('p', null, local(action.why)),
        h('h4', null, t('actions.how')),
        h('p', null, local(action.how)),
        h('h4', null, t('actions.source')),
        h('p', { class: 'muted source' }, action.source),
      ),
      buttons.length ? h('div', { class: 'actions' }, buttons) : null,
      resultBox(action),
    );
  }

  function redraw(action, focusId) {
    if (!listEl || !listEl.isConnected) return;
    const old = listEl.querySelector(`li[data-action="${action.id}"]`);
    if (!old) return;
    const fresh = card(action);
    old.replaceWith(fresh);
    if (!focusId) return;
    const target = document.getElementById(focusId);
    if (target && !target.disabled) target.focus();
    else {
      const box = document.getElementById(`result-${action.id}`);
      if (box) box.focus();
    }
  }

  function catalogue() {
    const shown = actions.filter((a) => !onlyMine || commitments.has(a.id));
    const groups = CATEGORIES.map((c) => [c, shown.filter((a) => a.category === c)]).filter(([, list]) => list.length);
    // Categories the app does not know yet still show, at the end.
    const other = shown.filter((a) => !CATEGORIES.includes(a.category));
    if (other.length) groups.push(['other', other]);
    if (!groups.length) return h('p', null, t('actions.noneMine'));
    return h(
      'div',
      { class: 'action-groups' },
      groups.map(([category, list]) =>
        h(
          'section',
          { class: 'action-group', 'aria-labelledby': `cat-${category}` },
          h(
            'h2',
            { id: `cat-${category}` },
            h('span', { class: 'cat-icon', 'aria-hidden': 'true' }, CATEGORY_ICONS[category] || '•'),
            category === 'other' ? t('actions.otherCategory') : t(`ch.category.${category}`),
            h('span', { class: 'count' }, ` (${list.length})`),
          ),
          h('ul', { class: 'action-list' }, list.map(card)),
        ),
      ),
    );
  }

  function render() {
    const me = session.participant();
    if (!actions) {
      return pageShell(
        'page-actions',
        t('actions.title'),
        loadingOrError(loadError, () => {
          loadError = null;
          app.rerender();
          load();
        }),
      );
    }
    const intro = [h('p', { class: 'lead' }, t('actions.lead'))];
    if (!me) {
      intro.push(
        lost ? h('div', { class: 'notice notice-error', role: 'alert' }, t('profile.sessionLost')) : null,
        h(
          'div',
          { class: 'card' },
          h('p', null, t('actions.joinToCheckIn')),
          h('div', { class: 'actions' }, h('a', { class: 'button button-primary', href: '#/rejoindre' }, t('ch.join'))),
        ),
      );
    } else if (season === null) {
      intro.push(h('div', { class: 'notice notice-error' }, t('actions.noSeason')));
    }
    weekEl = h('section', { class: 'card week-card', 'aria-label': t('actions.weekTitle') }, weekSummary());
    if (!weekEl.firstChild) weekEl = null;
    let filter = null;
    if (me) {
      const box = h('input', {
        type: 'checkbox',
        id: 'actions-filter',
        checked: onlyMine,
        onchange: (e) => {
          onlyMine = e.target.checked;
          app.rerender('#actions-filter');
        },
      });
      filter = h(
        'div',
        { class: 'field field-check filter' },
        box,
        h('label', { for: 'actions-filter' }, t('actions.onlyMine', { count: commitments.size })),
      );
    }
    listEl = catalogue();
    return pageShell(
      'page-actions',
      t('actions.title'),
      intro,
      weekEl,
      announcer,
      filter,
      listEl,
      me ? h('p', { class: 'muted' }, t('actions.capsNote', capVars())) : null,
    );
  }

  load();
  return {
    title: () => t('actions.title'),
    render,
    leave() {
      left = true;
    },
  };
}
