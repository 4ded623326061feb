// The node's JSON API (docs/api.md). Every failure becomes an ApiError with the
// server's {code, message}, or code "network" when no answer arrived, so pages
// can choose a message by code.

const BASE = 'api/v1';

export class ApiError extends Error {
  constructor(status, code, message, retryAfter, body) {
    super(message || code);
    this.body = body || null;
    this.status = status;
    this.code = code;
    this.serverMessage = message || '';
    this.retryAfter = retryAfter;
  }
}

async function errorFrom(res) {
  let code = 'unknown';
  let message = '';
  let body = null;
  try {
    body = await res.json();
    if (body && body.error && typeof body.error.code === 'string') {
      code = body.error.code;
      message = typeof body.error.message === 'string' ? body.error.message : '';
    }
  } catch {
    // Not JSON (a proxy's error page, say): keep the status alone.
  }
  if (code === 'unknown') {
    if (res.status === 413) code = 'body_too_large';
    else if (res.status === 429) code = 'rate_limited';
    else if (res.status >= 500) code = 'internal_error';
  }
  const retry = Number.parseInt(res.headers.get('Retry-After') || '', 10);
  return new ApiError(res.status, code, message, Number.isFinite(retry) ? retry : undefined, body);
}

/**
 * Sends one request. Returns the decoded JSON body, null for an empty body,
 * or the Response itself when `raw` is set (downloads).
 */
export async function request(method, path, { token, body, bytes, raw } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { method, headers, cache: 'no-store', credentials: 'omit' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  } else if (bytes !== undefined) {
    // A file as it is (an image); its type is the one the browser gave it.
    headers['Content-Type'] = bytes.type || 'application/octet-stream';
    init.body = bytes;
  }
  let res;
  try {
    res = await fetch(`${BASE}${path}`, init);
  } catch {
    throw new ApiError(0, 'network', '');
  }
  if (!res.ok) throw await errorFrom(res);
  if (raw) return res;
  if (res.status === 204) return null;
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(res.status, 'unknown', 'invalid JSON from the server');
  }
}

/** '?a=1&b=2' from the defined values of params ('' when there are none). */
function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  city: () => request('GET', '/city'),
  register: (profile) => request('POST', '/participants', { body: profile }),
  recover: (code) => request('POST', '/participants/recover', { body: { recovery_code: code } }),
  me: (token) => request('GET', '/me', { token }),
  updateMe: (token, changes) => request('PATCH', '/me', { token, body: changes }),
  deleteMe: (token) => request('DELETE', '/me', { token }),
  exportMe: (token) => request('GET', '/me/export', { token, raw: true }),
  /** {model_version, total_g, categories} computed on the device. */
  saveFootprint: (token, footprint) => request('POST', '/me/footprint', { token, body: footprint }),
  footprints: (token) => request('GET', '/me/footprint', { token }),

  // The challenge (docs/api.md, "The challenge").
  game: () => request('GET', '/game'),
  actions: () => request('GET', '/actions'),
  progress: (token) => request('GET', '/me/progress', { token }),
  commitments: (token) => request('GET', '/me/commitments', { token }),
  commit: (token, action) => request('POST', '/me/commitments', { token, body: { action } }),
  uncommit: (token, action) => request('DELETE', `/me/commitments/${encodeURIComponent(action)}`, { token }),
  /** {action, date?}; a 409 already_checked_in carries the existing check-in as err.body.checkin. */
  checkin: (token, body) => request('POST', '/me/checkins', { token, body }),
  checkins: (token, week) => request('GET', `/me/checkins${query({ week })}`, { token }),
  waste: (token) => request('GET', '/me/waste', { token }),
  saveWaste: (token, weighIn) => request('POST', '/me/waste', { token, body: weighIn }),
  wasteReferences: () => request('GET', '/waste/references'),
  myTeams: (token) => request('GET', '/me/teams', { token }),
  createTeam: (token, name, kind) => request('POST', '/teams', { token, body: { name, kind } }),
  joinTeam: (token, code) => request('POST', '/teams/join', { token, body: { invite_code: code } }),
  leaveTeam: (token, id) => request('POST', `/teams/${encodeURIComponent(id)}/leave`, { token }),
  newInvite: (token, id) => request('POST', `/teams/${encodeURIComponent(id)}/invite`, { token }),
  setCaptain: (token, id, member) =>
    request('PUT', `/teams/${encodeURIComponent(id)}/captain`, { token, body: { member } }),
  removeMember: (token, id, member) =>
    request('DELETE', `/teams/${encodeURIComponent(id)}/members/${encodeURIComponent(member)}`, { token }),
  /** {board, scope, limit}; with a token the answer has `me`. */
  leaderboard: (params, token) => request('GET', `/leaderboard${query(params)}`, { token }),

  // Workshops (docs/api.md, "Workshops"); a participant token is optional on the reads.
  /** {when: upcoming|past|all, limit}; with a token each workshop has `me`. */
  workshops: (params, token) => request('GET', `/workshops${query(params)}`, { token }),
  workshop: (id, token) => request('GET', `/workshops/${encodeURIComponent(id)}`, { token }),
  /** mode 'room' | 'online' → {registration, waitlist_position}. */
  registerWorkshop: (token, id, mode) =>
    request('POST', `/workshops/${encodeURIComponent(id)}/registration`, { token, body: { mode } }),
  unregisterWorkshop: (token, id) => request('DELETE', `/workshops/${encodeURIComponent(id)}/registration`, { token }),
  /** The room's code → {checked_in, mode}. */
  workshopCheckin: (token, id, code) =>
    request('POST', `/workshops/${encodeURIComponent(id)}/checkin`, { token, body: { code } }),

  adminLogin: (username, password) => request('POST', '/admin/login', { body: { username, password } }),
  adminLogout: (token) => request('POST', '/admin/logout', { token }),
  adminSession: (token) => request('GET', '/admin/session', { token }),
  adminStats: (token) => request('GET', '/admin/stats', { token }),
  adminAccounts: (token) => request('GET', '/admin/accounts', { token }),
  adminCreateAccount: (token, username, role) =>
    request('POST', '/admin/accounts', { token, body: { username, role } }),
  adminDeleteAccount: (token, username) =>
    request('DELETE', `/admin/accounts/${encodeURIComponent(username)}`, { token }),
  adminSetRole: (token, username, role) =>
    request('PATCH', `/admin/accounts/${encodeURIComponent(username)}`, { token, body: { role } }),
  adminPassword: (token, current, next) =>
    request('POST', '/admin/password', { token, body: { current_password: current, new_password: next } }),
  /** {limit, after} for a page of the list, or {q, limit} for a nickname prefix. */
  adminParticipants: (token, params) => request('GET', `/admin/participants${query(params)}`, { token }),
  adminRenameParticipant: (token, id, nickname) =>
    request('PATCH', `/admin/participants/${encodeURIComponent(id)}`, { token, body: { nickname } }),
  adminEraseParticipant: (token, id) => request('DELETE', `/admin/participants/${encodeURIComponent(id)}`, { token }),
  adminDenylist: (token) => request('GET', '/admin/denylist', { token }),
  adminDenyAdd: (token, word) => request('POST', '/admin/denylist', { token, body: { word } }),
  adminDenyRemove: (token, word) =>
    request('DELETE', `/admin/denylist/${encodeURIComponent(word)}`, { token }),
  adminCity: (token) => request('GET', '/admin/city', { token }),
  adminSaveCity: (token, city) => request('PUT', '/admin/city', { token, body: city }),
  adminSeasons: (token) => request('GET', '/admin/seasons', { token }),
  adminPutSeason: (token, season) => request('POST', '/admin/seasons', { token, body: season }),
  adminDeleteSeason: (token, id) => request('DELETE', `/admin/seasons/${encodeURIComponent(id)}`, { token }),
  adminAudit: (token, limit) => request('GET', `/admin/audit${query({ limit })}`, { token }),
  /** {q, limit}: teams whose folded name starts with q (all without q), by kind then name. */
  adminTeams: (token, params) => request('GET', `/admin/teams${query(params)}`, { token }),
  adminRenameTeam: (token, id, name) =>
    request('PATCH', `/admin/teams/${encodeURIComponent(id)}`, { token, body: { name } }),
  adminDeleteTeam: (token, id) => request('DELETE', `/admin/teams/${encodeURIComponent(id)}`, { token }),
  /** The whole catalogue, retired actions included. */
  adminActions: (token) => request('GET', '/admin/actions', { token }),
  adminCreateAction: (token, action) => request('POST', '/admin/actions', { token, body: action }),
  /** Any fields but id and frequency, and `retired`. */
  adminEditAction: (token, id, changes) =>
    request('PATCH', `/admin/actions/${encodeURIComponent(id)}`, { token, body: changes }),
  adminRetireAction: (token, id) => request('DELETE', `/admin/actions/${encodeURIComponent(id)}`, { token }),
  /** Creates or replaces reference `id` ({label_fr, label_en, kg_per_person_year, stream, year, source}). */
  adminPutReference: (token, id, reference) =>
    request('PUT', `/admin/waste/references/${encodeURIComponent(id)}`, { token, body: reference }),
  adminDeleteReference: (token, id) =>
    request('DELETE', `/admin/waste/references/${encodeURIComponent(id)}`, { token }),
  /** {when}: every workshop with its check-in code and its whole plan (correct answers included). */
  adminWorkshops: (token, params) => request('GET', `/admin/workshops${query(params)}`, { token }),
  adminCreateWorkshop: (token, workshop) => request('POST', '/admin/workshops', { token, body: workshop }),
  /** Any field of the creation, and {status: 'cancelled'}. */
  adminEditWorkshop: (token, id, changes) =>
    request('PATCH', `/admin/workshops/${encodeURIComponent(id)}`, { token, body: changes }),
  adminPutPlan: (token, id, items) =>
    request('PUT', `/admin/workshops/${encodeURIComponent(id)}/plan`, { token, body: { items } }),
  /** An image of the plan (a File or Blob of type image/png, image/jpeg or image/webp) → {name}. */
  adminUploadImage: (token, id, file) =>
    request('POST', `/admin/workshops/${encodeURIComponent(id)}/images`, { token, bytes: file }),
  adminAttendance: (token, id) => request('GET', `/admin/workshops/${encodeURIComponent(id)}/attendance`, { token }),
  /** {from, to, format: 'csv'}: the participation dataset, as a Response to save. */
  adminAttendanceDataset: (token, params) => request('GET', `/admin/attendance${query(params)}`, { token, raw: true }),
};
