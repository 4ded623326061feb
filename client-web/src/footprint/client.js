// The page's side of the footprint worker: one worker per page visit,
// promise-based calls. build.mjs defines __FOOTPRINT_WORKER__, the worker's
// hashed file name under assets/.
/* global __FOOTPRINT_WORKER__ */

export function startFootprintWorker() {
  const url = new URL(`assets/${__FOOTPRINT_WORKER__}`, document.baseURI).href;
  const worker = new Worker(url, { name: 'footprint' });
  const pending = new Map();
  let nextId = 0;
  let broken = null;

  const failAll = (message) => {
    broken = new Error(message);
    for (const { reject } of pending.values()) reject(broken);
    pending.clear();
  };
  worker.addEventListener('message', (event) => {
    const { id, ok, value, error } = event.data || {};
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (ok) p.resolve(value);
    else p.reject(new Error(error));
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    failAll(event.message || 'worker error');
  });

  function call(cmd, args) {
    if (broken) return Promise.reject(broken);
    nextId += 1;
    const id = nextId;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, cmd, args });
    });
  }

  return {
    init: (lang, answers) => call('init', { lang, answers }),
    answer: (values) => call('answer', { values }),
    unset: (rules) => call('unset', { rules }),
    evaluate: () => call('evaluate'),
    stop() {
      failAll('stopped');
      worker.terminate();
    },
  };
}
