// Registers the service worker that keeps the app shell for offline starts.
// The worker activates new builds by itself (see sw.js), so there is nothing
// to ask the reader. Hash routes never navigate, so a phone that keeps the app
// open for days would never look for a new build: check again whenever the
// app comes back to the foreground, at most once an hour.

const RECHECK_MS = 60 * 60 * 1000;

export function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  let lastCheck = Date.now();
  const register = () => {
    navigator.serviceWorker.register('sw.js').then(
      (reg) => {
        document.addEventListener('visibilitychange', () => {
          if (document.visibilityState !== 'visible' || Date.now() - lastCheck < RECHECK_MS) return;
          lastCheck = Date.now();
          reg.update().catch(() => {
            // Offline or the node is away: try again next time.
          });
        });
      },
      () => {
        // Without a worker the app still works online; nothing to tell the reader.
      },
    );
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
