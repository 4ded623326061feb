// Shared start-up for the browser tests: a fresh data dir and config, a real
// zcnode on 127.0.0.1 with a free port, and Debian's Chromium driven by
// playwright-core (which never downloads a browser of its own).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.ZCNODE_CHROMIUM || '/usr/bin/chromium';
const READY_TIMEOUT_MS = 15000;
const STOP_TIMEOUT_MS = 10000;

/** Reads ZCNODE_BIN and ZCNODE_STATIC, failing with a clear message. */
export function environment() {
  const bin = process.env.ZCNODE_BIN;
  const staticDir = process.env.ZCNODE_STATIC;
  const problems = [];
  if (!bin || !existsSync(bin)) problems.push(`ZCNODE_BIN must name the built zcnode binary (got ${bin || 'nothing'})`);
  if (!staticDir || !existsSync(join(staticDir, 'index.html'))) {
    problems.push(`ZCNODE_STATIC must name client-web/dist with index.html in it (got ${staticDir || 'nothing'})`);
  }
  if (!existsSync(CHROMIUM)) problems.push(`${CHROMIUM} is missing (apt-get install chromium)`);
  if (problems.length) throw new Error(problems.join('\n'));
  return { bin: resolve(bin), staticDir: resolve(staticDir) };
}

/**
 * Creates a data dir (init + demo city), writes a config and starts the node.
 * Returns {baseUrl, port, admin: {username, password}, stop(), logTail()}.
 */
export async function startNode({ bin, staticDir }) {
  const work = mkdtempSync(join(tmpdir(), 'zcnode-e2e-'));
  const dataDir = join(work, 'data');
  const conf = join(work, 'zcnode.conf');

  const initOut = execFileSync(bin, ['init', '--data-dir', dataDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const m = /^admin username: (\S+) password: (\S+)$/m.exec(initOut);
  if (!m) throw new Error(`zcnode init printed no admin credentials:\n${initOut}`);
  const admin = { username: m[1], password: m[2] };
  execFileSync(bin, ['admin', 'load-demo', '--data-dir', dataDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  // The browser test logs in, changes a password and tries wrong ones more
  // often than the default 10 a minute allows from one address.
  // The workshop test embeds its PeerTube video: the policy must allow that
  // origin in frame-src (the browser never reaches it: the test answers for it).
  // The node federates without peers: at start it publishes its statement for
  // last week (the demo city has a population), which the inter-city page shows.
  writeFileSync(
    conf,
    `static_dir = ${staticDir}\nlisten = 127.0.0.1\nlogin_attempts_per_minute = 60\n` +
      'video_frame_src = https://peertube.example.org\n' +
      'fed_origin = e2e-city\nfed_port = 0\nfed_auto_publish = true\n',
  );

  const child = spawn(bin, ['--data-dir', dataDir, '--config', conf, '--port', '0', '--plain-http'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr.push(...chunk.split('\n').filter(Boolean));
    if (stderr.length > 200) stderr.splice(0, stderr.length - 200);
  });
  const exited = new Promise((res) => child.on('exit', (code, signal) => res({ code, signal })));

  const port = await new Promise((res, rej) => {
    let buf = '';
    const timer = setTimeout(() => rej(new Error('zcnode printed no "zcnode ready port=N" within 15 s')), READY_TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      buf += chunk;
      const ready = /^zcnode ready port=(\d+)$/m.exec(buf);
      if (ready) {
        clearTimeout(timer);
        res(Number(ready[1]));
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      rej(new Error(`zcnode exited before it was ready (code ${code}, signal ${signal}):\n${stderr.join('\n')}`));
    });
  });

  let stopped = null;
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    admin,
    dataDir,
    logTail: (n = 30) => stderr.slice(-n).join('\n'),
    /** SIGTERM, then waits for the exit; resolves to {code, signal}. Removes the work dir. */
    async stop({ keep = false } = {}) {
      if (!stopped) {
        stopped = (async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const timer = new Promise((res) => setTimeout(() => res(null), STOP_TIMEOUT_MS));
          let result = await Promise.race([exited, timer]);
          if (!result) {
            child.kill('SIGKILL');
            result = { ...(await exited), timedOut: true };
          }
          if (!keep) rmSync(work, { recursive: true, force: true });
          return result;
        })();
      }
      return stopped;
    },
  };
}

/**
 * Starts Debian's Chromium headless with a fresh profile, as a phone.
 * Returns {context, page, close()}.
 */
export async function launchBrowser({ locale = 'fr-FR', viewport = { width: 390, height: 844 } } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'zcnode-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale,
    acceptDownloads: true,
    reducedMotion: 'reduce',
  });
  const page = context.pages()[0] || (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
