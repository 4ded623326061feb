// Takes the README's picture: the French onboarding screen showing a new
// recovery code, on a phone-sized viewport, from a real node with the demo
// city. Writes docs/screenshot.png (or the path given as first argument).
//   ZCNODE_BIN=build/zcnode ZCNODE_STATIC=client-web/dist node tests/e2e/screenshot.mjs
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { environment, startNode, launchBrowser } from './node.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, '..', '..', 'docs', 'screenshot.png'));
const TIMEOUT = 10000;

async function main() {
  const node = await startNode(environment());
  let browser = null;
  try {
    browser = await launchBrowser({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
    const { page } = browser;
    await page.goto(`${node.baseUrl}/#/rejoindre`);
    await page.waitForFunction(() => document.querySelectorAll('select[name="neighbourhood"] option').length > 1, null, {
      timeout: TIMEOUT,
    });
    await page.getByLabel('Pseudonyme', { exact: true }).fill('Camille des Arches');
    await page.getByLabel('Quartier (facultatif)', { exact: true }).selectOption('Les Arches');
    await page.getByLabel('Nombre de personnes dans votre foyer (facultatif)', { exact: true }).fill('3');
    await page.getByRole('button', { name: 'Rejoindre le défi' }).click();
    await page.locator('#recovery-code').waitFor({ timeout: TIMEOUT });
    await page.evaluate(() => {
      window.scrollTo(0, 0);
      if (document.activeElement) document.activeElement.blur();
    });
    await page.screenshot({ path: out });
    console.log(`screenshot written to ${out}`);
  } finally {
    if (browser) await browser.close();
    const exit = await node.stop();
    if (exit.code !== 0) {
      console.error(`zcnode exited with ${JSON.stringify(exit)}`);
      process.exitCode = 1;
    }
  }
}

main().catch((err) => {
  console.error(`screenshot: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
