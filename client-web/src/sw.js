// Service worker: keeps the app shell (index page, hashed assets, manifest,
// icons) so the app starts offline. The API, the WebSocket and the
// operations endpoints are never cached. build.mjs defines __VERSION__ (a hash
// of the build's bytes), __SHELL__ (the shell's URLs, relative to the worker)
// and __LAZY__ (large files only some visitors need, the footprint model:
// kept the first time they are fetched rather than at install), so each
// build gets its own cache and the previous one is dropped.
/* global __VERSION__, __SHELL__, __LAZY__ */

const PREFIX = 'zcnode-shell-';
const CACHE = PREFIX + __VERSION__;
const SHELL = __SHELL__;
const LAZY = __LAZY__;
const NAVIGATION_TIMEOUT_MS = 5000;

const scope = new URL(self.registration.scope);
const shellUrls = new Set(SHELL.map((u) => new URL(u, scope).href));
const lazyUrls = new Set(LAZY.map((u) => new URL(u, scope).href));
const startUrl = new URL('./', scope).href;
const indexUrl = new URL('index.html', scope).href;

function neverCached(path) {
  const rel = path.slice(scope.pathname.length - 1);
  return rel.startsWith('/api/') || rel === '/ws' || rel === '/healthz' || rel === '/metrics';
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // `reload` bypasses the HTTP cache so the shell matches this build.
      .then((cache) => cache.addAll(SHELL.map((u) => new Request(u, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The page itself comes from the network when it can, so a new build shows at
// once; the cached copy (consistent with the cached assets) serves offline or
// when the network hangs.
async function navigation(request) {
  const cached = () => caches.open(CACHE).then((c) => c.match(startUrl));
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), NAVIGATION_TIMEOUT_MS);
  });
  try {
    const res = await Promise.race([fetch(request), timeout]);
    if (res) return res;
    return (await cached()) || fetch(request);
  } catch (err) {
    const fallback = await cached();
    if (fallback) return fallback;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

async function shellFile(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  return hit || fetch(request);
}

// A hashed file never changes: keep the first good answer.
async function lazyFile(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone()).catch(() => {});
  return res;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin || neverCached(url.pathname)) return;
  const href = url.origin + url.pathname;
  if (request.mode === 'navigate') {
    if (href === startUrl || href === indexUrl) event.respondWith(navigation(request));
    return;
  }
  if (shellUrls.has(href)) event.respondWith(shellFile(request));
  else if (lazyUrls.has(href)) event.respondWith(lazyFile(request));
});
