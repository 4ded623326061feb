// Browser test of a live workshop (issue #4), run by run.mjs with its
// helpers: an animator in the staff console and two participants on their
// phones, three browsers at once. The animator creates a hybrid workshop
// and its plan (a slide, a poll, a quiz); A books a seat in the room and
// checks in with the code shown big, B follows online; the animator starts,
// shows the slide, opens a poll both answer (the counts change on every
// page), asks the quiz question (A right, B wrong; A's points shown after the
// reveal, with the top 10); A asks a question that B up-votes and the
// animator pins; B's chat message is hidden by the animator; A's phone goes
// offline and back (the page resumes after the last event it saw and keeps
// A's quiz points, then reloads and gets them back from `me`); a moderator
// sees only the moderation controls; the attendance table shows both
// participants and the participation dataset downloads as CSV.

const ROOM_CODE = /^[A-Z0-9]{6}$/;

// A 4×4 PNG of one green, for the slide's image.
const SLIDE_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGPQqzWCIwbiOABnIw3R2yR41wAAAABJRU5ErkJggg==';

export async function workshopSteps(t) {
  const { node, step, http, text, waitForText, openPanel, check, same, launchBrowser, watch, cspViolations, allow, TIMEOUT, adminPassword, onFailure } = t;
  const browsers = [];
  const suffix = Math.floor(1000 + Math.random() * 9000);
  const title = `Cuisiner de saison ${suffix}`;
  let staff = null; // the animator's browser
  let pa = null; // participant A's page
  let pb = null; // participant B's page
  let tokenA = null;
  let tokenB = null;
  let adminToken = null;
  let workshopId = null;
  let code = null;
  const nickA = `Anaïs Atelier ${suffix}`;
  const nickB = `Bruno Atelier ${suffix}`;

  async function phone(nickname) {
    const reg = await http('POST', '/api/v1/participants', { body: { nickname, lang: 'fr' } });
    same(reg.status, 201, `registration of ${nickname}`);
    const b = await launchBrowser({ locale: 'fr-FR' });
    browsers.push(b);
    await watch(b.page);
    await b.page.goto(`${node.baseUrl}/`);
    await b.page.evaluate((p) => localStorage.setItem('zcnode.participant', JSON.stringify(p)), { token: reg.json.token, id: reg.json.id });
    return { b, token: reg.json.token, id: reg.json.id };
  }

  /** The count shown for an option's bar inside `scope`. */
  function barCount(scope, option) {
    return scope.locator(`.ws-bar[data-option="${option}"]`).getAttribute('data-count');
  }

  async function waitForAttr(locator, name, value, what) {
    const deadline = Date.now() + TIMEOUT;
    let last = null;
    while (Date.now() < deadline) {
      last = await locator.getAttribute(name, { timeout: 1000 }).catch(() => null);
      if (last === value) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${what}: expected ${name}="${value}", last saw ${JSON.stringify(last)}`);
  }

  try {
    await step('workshops: an animator logs into the console and creates a hybrid workshop', async () => {
      const login = await http('POST', '/api/v1/admin/login', { body: { username: node.admin.username, password: adminPassword } });
      same(login.status, 200, 'admin login');
      adminToken = login.json.token;
      const acct = await http('POST', '/api/v1/admin/accounts', { token: adminToken, body: { username: `animatrice${suffix}`, role: 'animator' } });
      same(acct.status, 201, 'animator account');
      staff = await launchBrowser({ locale: 'fr-FR', viewport: { width: 1100, height: 900 } });
      browsers.push(staff);
      const page = staff.page;
      await watch(page);
      await page.goto(`${node.baseUrl}/#/admin`);
      await page.getByLabel('Nom d’utilisateur', { exact: true }).fill(`animatrice${suffix}`);
      await page.getByLabel('Mot de passe', { exact: true }).fill(acct.json.password);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      same(await text(page.locator('#admin-role')), 'animation', 'role');
      const panel = await openPanel(page, 'Ateliers');
      await panel.locator('#ws-new').click();
      await panel.getByLabel('Titre en français', { exact: true }).fill(title);
      await panel.getByLabel('Titre en anglais (facultatif)', { exact: true }).fill(`Seasonal cooking ${suffix}`);
      await panel.getByLabel('Description en français', { exact: true }).fill('Des recettes de saison, moins de transport, moins de gaspillage.');
      await panel.getByLabel('Type d’atelier', { exact: true }).selectOption('hybrid');
      // Starts in 20 minutes (the room's code is accepted from an hour before).
      const zoneWall = await page.evaluate(() => {
        const f = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
        const wall = (ms) => {
          const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
          return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
        };
        return { start: wall(Date.now() + 20 * 60000), end: wall(Date.now() + 110 * 60000) };
      });
      await panel.getByLabel('Début', { exact: true }).fill(zoneWall.start);
      await panel.getByLabel('Fin', { exact: true }).fill(zoneWall.end);
      await panel.getByLabel('Places dans la salle', { exact: true }).fill('25');
      // A link that is not https is refused before sending.
      await panel.getByLabel('Lien de la vidéo (facultatif)', { exact: true }).fill('http://peertube.example.org/w/abcdefgh');
      await panel.getByRole('button', { name: 'Créer l’atelier' }).click();
      await waitForText(panel.locator('.field-error:not([hidden])'), 'https://', 'video link rule');
      await panel.getByLabel('Lien de la vidéo (facultatif)', { exact: true }).fill('https://peertube.example.org/w/abcdefgh');
      await panel.getByRole('button', { name: 'Créer l’atelier' }).click();
      await waitForText(page.locator('#panel-workshops-status'), `L’atelier « ${title} » est créé.`, 'created status');
      const list = await http('GET', '/api/v1/admin/workshops?when=upcoming', { token: adminToken });
      const w = list.json.workshops.find((x) => x.title.fr === title);
      check(w, 'workshop on the node');
      workshopId = w.id;
      same(w.kind, 'hybrid', 'kind');
      same(w.capacity, 25, 'capacity');
      same(w.title.en, `Seasonal cooking ${suffix}`, 'English title');
      check(Math.abs(Date.parse(w.starts_at) - (Date.now() + 20 * 60000)) < 120000, `starts_at in the city’s zone: ${w.starts_at}`);
      code = w.checkin_code;
      check(ROOM_CODE.test(code), `check-in code: ${code}`);
      await text(panel.locator(`#ws-code-${workshopId}`).filter({ hasText: code }));
    });

    await step('workshops: the plan editor saves a slide, a poll and a quiz with its correct answer', async () => {
      const page = staff.page;
      const panel = page.locator('#panel-workshops');
      await panel.locator(`#ws-plan-${workshopId}`).click();
      await panel.locator('#ws-add-slide').click();
      await panel.locator('#ws-item-0-title-fr').fill('Bienvenue à l’atelier');
      await panel.locator('#ws-item-0-body-fr').fill('Ce soir : les légumes de saison.');
      // The slide's image: uploaded as soon as it is chosen, previewed from the node.
      await panel.locator('#ws-item-0-image').setInputFiles({ name: 'legumes.png', mimeType: 'image/png', buffer: Buffer.from(SLIDE_PNG, 'base64') });
      const preview = panel.locator('.ws-image-preview img');
      await preview.waitFor({ timeout: TIMEOUT });
      await page.waitForFunction((img) => img.complete && img.naturalWidth === 4, await preview.elementHandle(), { timeout: TIMEOUT });
      await panel.locator('#ws-add-poll').click();
      await panel.locator('#ws-item-1-q-fr').fill('Vous cuisinez surtout…');
      await panel.locator('#ws-item-1-o0-fr').fill('des légumes frais');
      await panel.locator('#ws-item-1-o1-fr').fill('des surgelés');
      await panel.locator('#ws-add-quiz').click();
      await panel.locator('#ws-item-2-q-fr').fill('Quel légume est de saison en décembre ?');
      await panel.locator('#ws-item-2-o0-fr').fill('La tomate');
      await panel.locator('#ws-item-2-o1-fr').fill('Le poireau');
      // A quiz without a correct answer is refused before sending.
      await panel.locator('#ws-plan-save').click();
      await waitForText(panel.locator('.field-error:not([hidden])').first(), 'Cochez au moins une bonne réponse.', 'correct answer required');
      await panel.getByLabel('La réponse B est une bonne réponse').check();
      await panel.locator('#ws-item-2-seconds').fill('60');
      await panel.locator('#ws-item-2-points').fill('10');
      await panel.locator('#ws-plan-save').click();
      await waitForText(page.locator('#panel-workshops-status'), 'Programme enregistré (3 éléments).', 'plan saved');
      const list = await http('GET', '/api/v1/admin/workshops?when=upcoming', { token: adminToken });
      const plan = list.json.workshops.find((x) => x.id === workshopId).plan;
      same(plan.map((i) => i.kind).join(','), 'slide,poll,quiz', 'plan on the node');
      check(/^[0-9a-f]{64}\.png$/.test(plan[0].image || ''), `slide image on the node: ${plan[0].image}`);
      same((await http('GET', `/api/v1/workshops/${workshopId}/images/${plan[0].image}`)).status, 200, 'the slide image is served');
      same(JSON.stringify(plan[2].correct), '[1]', 'correct answer on the node');
      same(plan[2].seconds, 60, 'seconds');
      const pub = await http('GET', `/api/v1/workshops/${workshopId}`);
      check(!JSON.stringify(pub.json.plan).includes('correct'), 'the public plan shows no correct answer');
      await panel.getByRole('button', { name: 'Retour à la liste' }).click();
    });

    await step('workshops: A books a seat in the room and checks in with the code shown big; B follows online', async () => {
      const a = await phone(nickA);
      const b = await phone(nickB);
      pa = a.b.page;
      pb = b.b.page;
      tokenA = a.token;
      tokenB = b.token;
      await pa.goto(`${node.baseUrl}/#/ateliers`);
      await pa.reload();
      const cardA = pa.locator(`.ws-card[data-workshop="${workshopId}"]`);
      await text(cardA.getByRole('heading', { name: title }));
      await waitForText(cardA.locator('.ws-tags'), 'En salle et en ligne', 'kind');
      await waitForText(cardA.locator('.ws-seats'), '25 places restantes en salle sur 25', 'seats');
      await waitForText(cardA.locator('.ws-when'), /, de \d\d:\d\d à \d\d:\d\d/, 'date in the city’s time zone');
      await cardA.getByRole('button', { name: 'Réserver une place en salle' }).click();
      await waitForText(cardA.locator('[role="status"]'), 'une place vous attend en salle', 'booked status');
      await waitForText(cardA.locator('.ws-seats'), '24 places restantes', 'seats after booking');
      // The animator shows the code big; A types it at "J'y suis".
      const console_ = staff.page.locator('#panel-workshops');
      await console_.locator(`#ws-showCode-${workshopId}`).click();
      same(await text(staff.page.locator('#ws-code-big')), code, 'the code shown big');
      await cardA.getByRole('button', { name: 'J’y suis' }).click();
      const dialog = pa.getByRole('dialog', { name: 'Vous êtes dans la salle ?' });
      allow({ http: [{ path: `/api/v1/workshops/${workshopId}/checkin`, status: 422 }] });
      await dialog.getByLabel('Code de la salle').fill('AAAAAA');
      await dialog.getByRole('button', { name: 'Valider ma présence' }).click();
      await waitForText(dialog.locator('.field-error'), 'Ce code n’est pas le bon.', 'wrong code');
      allow({});
      await dialog.getByLabel('Code de la salle').fill(code.toLowerCase());
      await dialog.getByRole('button', { name: 'Valider ma présence' }).click();
      await waitForText(cardA.locator('.ws-checked'), 'Présence en salle enregistrée', 'checked in');
      await console_.getByRole('button', { name: 'Retour à la liste' }).click();

      await pb.goto(`${node.baseUrl}/#/ateliers`);
      await pb.reload();
      const cardB = pb.locator(`.ws-card[data-workshop="${workshopId}"]`);
      await cardB.getByRole('button', { name: 'Suivre en ligne' }).click();
      await waitForText(cardB.locator('.ws-reg-line'), 'Vous suivez cet atelier en ligne.', 'B online');
      const me = await http('GET', `/api/v1/workshops/${workshopId}`, { token: tokenA });
      same(me.json.me.registration, 'room', 'A’s registration on the node');
      same(me.json.me.checked_in, true, 'A checked in on the node');
    });

    await step('workshops: both open the live page; the animator starts and shows the slide', async () => {
      for (const p of [pa, pb]) {
        await p.goto(`${node.baseUrl}/#/ateliers/${workshopId}`);
        await text(p.getByRole('heading', { name: title, level: 1 }));
        await p.locator('#ws-live[data-state="live"]').waitFor({ timeout: TIMEOUT });
        await text(p.locator('#ws-waiting'));
        await waitForText(p.locator('#ws-video'), 'Ouvrir la vidéo (peertube.example.org)', 'video link');
        // The node's policy allows this player, but nothing loads before the citizen asks.
        await waitForText(p.locator('#ws-video'), 'elle ne se charge que si vous le demandez', 'video consent');
        same(await p.locator('#ws-video iframe').count(), 0, 'no frame before the citizen asks');
        await p.evaluate(() => {
          window.__sameDocument = true;
        });
      }
      // A shows the video: the PeerTube player is framed (answered here, offline).
      await pa.route('https://peertube.example.org/**', (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>lecteur</title><p>lecteur PeerTube</p>' }),
      );
      await pa.locator('#ws-video [data-key="video-show"]').click();
      const frame = pa.locator('#ws-video iframe');
      await frame.waitFor({ timeout: TIMEOUT });
      same(await frame.getAttribute('src'), 'https://peertube.example.org/videos/embed/abcdefgh', 'the player address');
      same(await frame.getAttribute('referrerpolicy'), 'strict-origin-when-cross-origin', 'only the origin as referrer');
      await waitForText(pa.frameLocator('#ws-video iframe').locator('p'), 'lecteur PeerTube', 'the player loaded in the frame');
      same(await pb.locator('#ws-video iframe').count(), 0, 'B did not ask: no frame');
      const page = staff.page;
      const panel = page.locator('#panel-workshops');
      await panel.locator(`#ws-run-${workshopId}`).click();
      await page.locator('#ws-live-state[data-state="live"]').waitFor({ timeout: TIMEOUT });
      // Both phones and the console itself.
      await waitForText(page.locator('#ws-live-presence'), /^3 personnes connectées$/, 'presence on the console');
      await page.locator('#ws-live-start').click();
      await page.locator('#ws-live-end').waitFor({ timeout: TIMEOUT });
      for (const p of [pa, pb]) await waitForText(p.locator('.ws-tags'), 'En direct', 'live status on a phone');
      await page.locator('#ws-step-0').click();
      for (const p of [pa, pb]) await waitForText(p.locator('#ws-step'), 'Bienvenue à l’atelier Ce soir : les légumes de saison.', 'the slide on a phone');
      for (const p of [pa, pb]) {
        const img = p.locator('#ws-step img.ws-slide-image');
        await img.waitFor({ timeout: TIMEOUT });
        await p.waitForFunction((el) => el.complete && el.naturalWidth === 4, await img.elementHandle(), { timeout: TIMEOUT });
      }
      await text(page.locator('.ws-plan-item[data-item="0"]').getByText('à l’écran'));
    });

    await step('workshops: a poll both answer; the counts change on every page; a poll answer may change', async () => {
      const page = staff.page;
      await page.locator('#ws-pollopen-1').click();
      await waitForText(pa.locator('.ws-poll'), 'Vous cuisinez surtout…', 'poll on A');
      await pa.locator('.ws-poll .ws-option[data-choice="1"]').click();
      await waitForAttr(pa.locator('.ws-poll .ws-option[data-choice="1"]'), 'aria-pressed', 'true', 'A’s choice');
      // A changes their mind while the poll is open.
      await pa.locator('.ws-poll .ws-option[data-choice="0"]').click();
      await waitForText(pa.locator('#ws-poll-mine'), 'Votre réponse : A. Vous pouvez la changer', 'A’s answer');
      await pb.locator('.ws-poll .ws-option[data-choice="0"]').click();
      for (const [p, scope] of [[pa, '#ws-poll-bars'], [pb, '#ws-poll-bars'], [page, '#ws-live-poll-1-bars']]) {
        const bars = p.locator(scope);
        const deadline = Date.now() + TIMEOUT;
        while (Date.now() < deadline && ((await barCount(bars, 0)) !== '2' || (await barCount(bars, 1)) !== '0')) await new Promise((r) => setTimeout(r, 100));
        same(await barCount(bars, 0), '2', `first option’s count on ${scope}`);
        same(await barCount(bars, 1), '0', `second option’s count on ${scope}`);
      }
      await waitForText(pb.locator('#ws-poll-voters'), '2 participants ont répondu', 'voters on B');
      await waitForText(pa.locator('#ws-poll-bars .ws-bar[data-option="0"]'), '2 (100 %)', 'share shown');
      await page.locator('#ws-pollclose-1').click();
      await waitForAttr(pb.locator('.ws-poll'), 'data-open', 'false', 'poll closed on B');
      same(await pb.locator('.ws-poll .ws-option').count(), 0, 'no answer buttons once closed');
    });

    await step('workshops: a quiz with a countdown; A right, B wrong; the reveal shows A’s points and the top', async () => {
      const page = staff.page;
      await page.locator('#ws-quizopen-2').click();
      await waitForText(pa.locator('#ws-quiz-timer'), /Temps restant : 0:[0-5]\d|Temps restant : 1:00/, 'countdown on A');
      await pa.locator('.ws-quiz .ws-option[data-choice="1"]').click();
      await waitForText(pa.locator('#ws-quiz-mine'), 'Votre réponse : B. Résultat à la correction.', 'A’s answer kept');
      same(await pa.locator('.ws-quiz .ws-option').count(), 0, 'one answer only');
      await pb.locator('.ws-quiz .ws-option[data-choice="0"]').click();
      await waitForText(page.locator('#ws-live-answers-2'), '2 réponses reçues', 'answers on the console');
      await page.locator('#ws-reveal-2').click();
      await waitForText(pa.locator('#ws-quiz-verdict'), /^Bonne réponse ! \+1\d points$/, 'A’s verdict and points');
      await waitForText(pb.locator('#ws-quiz-verdict'), 'Ce n’était pas la bonne réponse.', 'B’s verdict');
      await waitForText(pa.locator('.ws-quiz .ws-bar-correct'), 'B. Le poireau', 'correct answer shown');
      await waitForText(pa.locator('.ws-top'), nickA, 'A in the top');
      const pointsText = await text(pa.locator('#ws-my-points'));
      check(/^Vos points de quiz dans cet atelier : 1\d points\.$/.test(pointsText), `A’s quiz points: ${pointsText}`);
      await waitForText(page.locator('#ws-live-top-2'), nickA, 'the top on the console');
    });

    await step('workshops: A asks a question, B up-votes it, the animator pins it; B’s chat message is hidden', async () => {
      await pa.getByLabel('Votre question', { exact: true }).fill('Où trouver des légumes locaux à Issy ?');
      await pa.getByRole('button', { name: 'Poser la question' }).click();
      const qB = pb.locator('.ws-q').filter({ hasText: 'Où trouver des légumes locaux' });
      await qB.waitFor({ timeout: TIMEOUT });
      await qB.locator('.ws-vote').click();
      await waitForAttr(qB.locator('.ws-vote'), 'aria-pressed', 'true', 'B’s vote');
      const qA = pa.locator('.ws-q').filter({ hasText: 'Où trouver des légumes locaux' });
      await waitForAttr(qA, 'data-votes', '1', 'votes seen by A');
      await text(qA.getByText('votre question'));
      const page = staff.page;
      const qS = page.locator('#ws-live-questions .ws-q').filter({ hasText: 'Où trouver des légumes locaux' });
      await waitForAttr(qS, 'data-votes', '1', 'votes seen by the animator');
      await qS.getByRole('button', { name: 'Épingler' }).click();
      for (const p of [pa, pb]) await text(p.locator('.ws-q-pinned').filter({ hasText: 'Où trouver' }).getByText('épinglée'));
      await pb.getByLabel('Votre message', { exact: true }).fill('Bonsoir tout le monde !');
      await pb.getByRole('button', { name: 'Envoyer', exact: true }).click();
      const msgA = pa.locator('.ws-chat-list li').filter({ hasText: 'Bonsoir tout le monde !' });
      await msgA.waitFor({ timeout: TIMEOUT });
      await page.locator('#ws-live-chat li').filter({ hasText: 'Bonsoir tout le monde !' }).getByRole('button', { name: 'Masquer' }).click();
      await msgA.waitFor({ state: 'detached', timeout: TIMEOUT });
      // Five messages in ten seconds at most: the next one is refused and explained.
      const chatAlert = pb.locator('.ws-chat [role="alert"]');
      let sent = 1;
      while (!(await chatAlert.isVisible()) && sent < 8) {
        await pb.getByLabel('Votre message', { exact: true }).fill(`Message ${sent}`);
        await pb.getByRole('button', { name: 'Envoyer', exact: true }).click();
        await pb.waitForFunction((n) => document.querySelectorAll('.ws-chat-list li').length >= n || !document.querySelector('.ws-chat [role="alert"]').hidden, sent, { timeout: TIMEOUT });
        sent += 1;
      }
      await waitForText(chatAlert, 'Doucement ! Vous envoyez trop de messages à la suite', 'rate limit explained');
      check(sent <= 7, `messages sent before the limit: ${sent}`);
      same(await pb.getByLabel('Votre message', { exact: true }).inputValue(), `Message ${sent - 1}`, 'the refused message stays in the box');
      await pa.getByRole('button', { name: /Réagir : Bravo/ }).click();
      await waitForText(page.locator('#ws-live-reactions'), '👏 1', 'a reaction counted on the console');
    });

    await step('workshops: A’s phone goes offline and back; the page catches up and keeps the quiz points', async () => {
      const before = await text(pa.locator('#ws-my-points'));
      const context = browsers.find((b) => b.page === pa).context;
      allow({ console: [/net::ERR_INTERNET_DISCONNECTED/, /WebSocket connection to .* failed/] });
      await context.setOffline(true);
      await pa.locator('#ws-live[data-state="retrying"], #ws-live[data-state="connecting"]').waitFor({ timeout: TIMEOUT });
      // Meanwhile the room goes on: an announcement and a new poll.
      const page = staff.page;
      await page.getByLabel('Annonce à tous les participants (280 caractères au plus)').fill('Pause de cinq minutes');
      await page.getByRole('button', { name: 'Annoncer' }).click();
      await waitForText(page.locator('#panel-workshops-status'), 'Annonce envoyée.', 'announced');
      await page.locator('#ws-pollopen-1').click();
      await context.setOffline(false);
      await pa.locator('#ws-live[data-state="live"]').waitFor({ timeout: 20000 });
      allow({});
      await waitForText(pa.locator('#ws-announce'), 'Pause de cinq minutes', 'the announcement missed while offline');
      await waitForAttr(pa.locator('.ws-poll'), 'data-open', 'true', 'the poll reopened while offline');
      same(await text(pa.locator('#ws-my-points')), before, 'quiz points after the reconnection');
      same(await pa.evaluate(() => window.__sameDocument === true), true, 'A’s page was not reloaded');
      // A fresh page gets everything back from the node's state and `me`.
      await pa.reload();
      await pa.locator('#ws-live[data-state="live"]').waitFor({ timeout: TIMEOUT });
      same(await text(pa.locator('#ws-my-points')), before, 'quiz points after a reload');
      await waitForText(pa.locator('#ws-poll-mine'), 'Votre réponse : A.', 'poll answer after a reload');
      await waitForAttr(pa.locator('.ws-q').filter({ hasText: 'Où trouver' }), 'data-votes', '1', 'the question after a reload');
      const csp = [...(await cspViolations(pa)), ...(await cspViolations(pb)), ...(await cspViolations(page))];
      check(csp.length === 0, `CSP violations: ${csp.join(', ')}`);
    });

    await step('workshops: a moderator sees only the moderation controls', async () => {
      const acct = await http('POST', '/api/v1/admin/accounts', { token: adminToken, body: { username: `moderation${suffix}`, role: 'moderator' } });
      same(acct.status, 201, 'moderator account');
      const mod = await launchBrowser({ locale: 'fr-FR', viewport: { width: 1100, height: 900 } });
      browsers.push(mod);
      await watch(mod.page);
      await mod.page.goto(`${node.baseUrl}/#/admin`);
      await mod.page.getByLabel('Nom d’utilisateur', { exact: true }).fill(`moderation${suffix}`);
      await mod.page.getByLabel('Mot de passe', { exact: true }).fill(acct.json.password);
      await mod.page.getByRole('button', { name: 'Se connecter' }).click();
      const panel = await openPanel(mod.page, 'Ateliers');
      same(await panel.locator('#ws-new').count(), 0, '"Nouvel atelier" for a moderator');
      same(await panel.locator(`#ws-edit-${workshopId}`).count(), 0, '"Modifier" for a moderator');
      await panel.locator(`#ws-run-${workshopId}`).click();
      await text(panel.getByRole('heading', { name: `Modération : « ${title} »` }));
      const q = panel.locator('#ws-live-questions .ws-q').filter({ hasText: 'Où trouver' });
      await q.getByRole('button', { name: 'Marquer répondue' }).click();
      await text(pa.locator('.ws-q').filter({ hasText: 'Où trouver' }).getByText('répondue', { exact: true }));
      for (const id of ['#ws-live-start', '#ws-live-end', '#ws-step-0', '#ws-pollclose-1', '#ws-live-announce']) {
        same(await panel.locator(id).count(), 0, `${id} for a moderator`);
      }
      // The moderator mutes B, whose next message is refused and explained.
      await panel.locator('#ws-live-chat li').filter({ hasText: 'Message 1' }).getByRole('button', { name: 'Couper la parole' }).click();
      await mod.page.getByRole('dialog', { name: `Couper la parole à ${nickB} ?` }).getByRole('button', { name: 'Couper la parole' }).click();
      await waitForText(mod.page.locator('#panel-workshops-status'), `${nickB} ne peut plus écrire dans cet atelier.`, 'muted status');
      await new Promise((r) => setTimeout(r, 10500)); // past the chat rate limit's window
      await pb.getByLabel('Votre message', { exact: true }).fill('Encore moi');
      await pb.getByRole('button', { name: 'Envoyer', exact: true }).click();
      await waitForText(pb.locator('.ws-chat [role="alert"]'), 'La modération a suspendu vos messages et vos questions pour cet atelier.', 'muted explained');
      await mod.close();
      browsers.splice(browsers.indexOf(mod), 1);
    });

    await step('workshops: the animator ends; the attendance table shows both; the dataset downloads as CSV', async () => {
      const page = staff.page;
      await page.locator('#ws-live-end').click();
      await page.getByRole('dialog', { name: 'Terminer l’atelier ?' }).getByRole('button', { name: 'Terminer' }).click();
      for (const p of [pa, pb]) await waitForText(p.locator('.ws-tags'), 'Terminé', 'ended on a phone');
      await page.locator('#ws-live-back').click();
      const panel = page.locator('#panel-workshops');
      await panel.locator(`#ws-attendance-${workshopId}`).click();
      const rowA = panel.locator('tbody tr').filter({ hasText: nickA });
      const rowB = panel.locator('tbody tr').filter({ hasText: nickB });
      const lineA = await text(rowA);
      const lineB = await text(rowB);
      check(lineA.includes('salle') && lineA.includes('les deux'), `A’s row: ${lineA}`);
      check(lineB.includes('en ligne') && !lineB.includes('les deux'), `B’s row: ${lineB}`);
      await waitForText(panel.locator('#ws-att-totals'), '2 participants', 'totals');
      const att = await http('GET', `/api/v1/admin/workshops/${workshopId}/attendance`, { token: adminToken });
      same(att.json.totals.participants, 2, 'participants on the node');
      same(att.json.totals.both, 1, 'A counted in the room and online');
      await panel.getByRole('button', { name: 'Retour à la liste' }).click();
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), panel.locator('#ws-dataset').click()]);
      check(/^ateliers-participation-\d{4}-W\d\d-\d{4}-W\d\d\.csv$/.test(download.suggestedFilename()), `file name: ${download.suggestedFilename()}`);
      const path = await download.path();
      const { readFileSync } = await import('node:fs');
      const csv = readFileSync(path, 'utf8').trim().split('\n');
      check(csv[0].startsWith('week;workshop;title;kind'), `CSV header: ${csv[0]}`);
      const row = csv.find((l) => l.includes(title));
      check(row && row.includes(';hybrid;'), `the workshop’s row: ${row}`);
      await waitForText(page.locator('#panel-workshops-status'), 'a été téléchargé', 'download status');
      const csp = await cspViolations(page);
      check(csp.length === 0, `CSP violations on the console: ${csp.join(', ')}`);
      void tokenB;
    });
  } catch (err) {
    if (onFailure) await onFailure(browsers.map((b) => b.page));
    throw err;
  } finally {
    for (const b of browsers) await b.close().catch(() => {});
    if (adminToken) await http('POST', '/api/v1/admin/logout', { token: adminToken }).catch(() => {});
  }
}
