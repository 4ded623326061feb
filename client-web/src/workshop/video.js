// The workshop's video link: always shown as a link; played in the page
// (an <iframe>) only for an https address of a known player (PeerTube,
// YouTube, Vimeo) whose embed origin the node's Content-Security-Policy
// allows in `frame-src` (read from the page's own headers, so the page never
// tries a frame the policy would block). Pure but for frameSourcesOfPage().

/**
 * The embeddable player address of `url` (https only), or null: YouTube
 * (through youtube-nocookie.com), Vimeo, and PeerTube instances (/w/<id>,
 * /videos/watch/<id>, /videos/embed/<id>).
 */
export function embedUrl(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || u.username || u.password) return null;
  const host = u.hostname.toLowerCase();
  const path = u.pathname;
  const id = (s) => (s && /^[A-Za-z0-9_-]{6,64}$/.test(s) ? s : null);
  let m;
  if (/(^|\.)youtube\.com$|(^|\.)youtube-nocookie\.com$/.test(host)) {
    let v = null;
    if (path === '/watch') v = u.searchParams.get('v');
    else if ((m = /^\/(?:embed|live|shorts)\/([^/]+)\/?$/.exec(path))) v = m[1];
    return id(v) ? `https://www.youtube-nocookie.com/embed/${id(v)}` : null;
  }
  if (host === 'youtu.be') {
    m = /^\/([^/]+)\/?$/.exec(path);
    return m && id(m[1]) ? `https://www.youtube-nocookie.com/embed/${m[1]}` : null;
  }
  if (host === 'vimeo.com' || host === 'player.vimeo.com') {
    m = /^\/(?:video\/)?(\d{3,12})\/?$/.exec(path);
    return m ? `https://player.vimeo.com/video/${m[1]}` : null;
  }
  m = /^\/(?:w|videos\/watch|videos\/embed)\/([^/]+)\/?$/.exec(path);
  if (m && id(m[1])) return `${u.origin}/videos/embed/${m[1]}`;
  return null;
}

/** The sources of the policy's frame-src (falling back to child-src, then default-src); null without a policy. */
export function frameSources(policy) {
  if (!policy) return null;
  const directives = new Map();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), values);
  }
  return directives.get('frame-src') || directives.get('child-src') || directives.get('default-src') || ['*'];
}

function hostMatches(pattern, host) {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

/** Whether a frame of `target` (an https URL) is allowed by `sources`; `self` is the page's origin. */
export function frameAllowed(target, sources, self) {
  if (!sources) return true;
  let u;
  try {
    u = new URL(target);
  } catch {
    return false;
  }
  for (const raw of sources) {
    const s = raw.toLowerCase();
    if (s === "'none'") return false;
    if (s === '*' || s === 'https:') return u.protocol === 'https:';
    if (s === "'self'") {
      if (u.origin === self) return true;
      continue;
    }
    const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+|\*))?(\/.*)?$/.exec(s);
    if (!m) continue;
    const [, scheme, host, port, path] = m;
    if (scheme && `${scheme}:` !== u.protocol) continue;
    if (!scheme && u.protocol !== 'https:') continue;
    if (!hostMatches(host, u.hostname)) continue;
    if (port && port !== '*' && port !== (u.port || '443')) continue;
    if (path && !(path.endsWith('/') ? u.pathname.startsWith(path) : u.pathname === path)) continue;
    return true;
  }
  return false;
}

let policyPromise = null;

/** The frame sources the node's policy gives this page (fetched once, HEAD of the page); null when unknown. */
export function frameSourcesOfPage() {
  if (!policyPromise) {
    const page = new URL('./', document.baseURI).href;
    policyPromise = fetch(page, { method: 'HEAD', cache: 'no-store', credentials: 'omit' }).then(
      (res) => {
        const policy = res.headers.get('content-security-policy');
        return policy ? frameSources(policy) : null;
      },
      () => {
        policyPromise = null;
        return ["'none'"];
      },
    );
  }
  return policyPromise;
}
