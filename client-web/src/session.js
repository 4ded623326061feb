// Where credentials live in the browser. The participant's token stays on the
// device (localStorage) so a phone remains signed in; a staff token lives only
// for the tab (sessionStorage), so closing the tab ends the console session
// on the device.

const PARTICIPANT_KEY = 'zcnode.participant';
const STAFF_KEY = 'zcnode.staff';

// Touching window.localStorage itself throws when the browser blocks storage.
function store(name) {
  try {
    return window[name];
  } catch {
    return null;
  }
}

function read(storage, key) {
  try {
    const raw = storage ? storage.getItem(key) : null;
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function write(storage, key, value) {
  if (!storage) return;
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage refused (private mode, quota): the session lasts for this page only.
  }
}

let participantMemory = read(store('localStorage'), PARTICIPANT_KEY);
let staffMemory = read(store('sessionStorage'), STAFF_KEY);

/** {token, id} of the participant signed in on this device, or null. */
export function participant() {
  return participantMemory && typeof participantMemory.token === 'string' ? participantMemory : null;
}

export function setParticipant(value) {
  participantMemory = value;
  write(store('localStorage'), PARTICIPANT_KEY, value);
}

export function clearParticipant() {
  setParticipant(null);
}

/** {token, role, username, expires_at} of the staff session in this tab, or null. */
export function staff() {
  return staffMemory && typeof staffMemory.token === 'string' ? staffMemory : null;
}

export function setStaff(value) {
  staffMemory = value;
  write(store('sessionStorage'), STAFF_KEY, value);
}

export function clearStaff() {
  setStaff(null);
}
