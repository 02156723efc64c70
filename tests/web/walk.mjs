// walk.mjs — browser checks for what a new user's walk through the demo workspace found (each check
// failed before its fix): Log interaction asks nothing it cannot answer, the pipeline's cards and
// columns fit, the deal form names its client, the client page names its feedback, narrow pages fit,
// the reports and Today say what they mean, an answered ticket leaves the open queue, and the pages that
// lacked a way to create their records have one. Reads the demo's records; what it creates is its own.
import {
  ok, check, apiCall, newContext, shot, signIn, finish, BASE,
} from './lib.mjs';

const t0 = Date.now();

async function clientId(name) {
  const r = await apiCall('GET', `/api/v1/clients?q=${encodeURIComponent(name.split(' ')[0])}&limit=20`);
  const c = r.body.data.find((x) => x.name === name);
  if (!c) throw new Error(`no demo client ${name}`);
  return c.id;
}

async function create(path, body) {
  const r = await apiCall('POST', path, body);
  if (r.status !== 201) throw new Error(`POST ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const quarry = await clientId('Quarry Labs');
// a deal of its own, worth the most so it heads its column: the other modules move the demo's deals
const deal = await create('/api/v1/deals', { client_id: quarry, title: 'Walk: research retainer', value: '990000.00', probability: 35, expected_close: new Date(Date.now() + 40 * 86400000).toISOString().slice(0, 10) });

const wide = await newContext(1280);
const page = await wide.newPage();
await signIn(page);

try {
  await check('Log interaction without a client asks for no contacts (no 4xx on opening)', async () => {
    const refused = [];
    const onResponse = (r) => { if (r.url().includes('/api/v1/') && r.status() >= 400) refused.push(`${r.status()} ${r.url()}`); };
    page.on('response', onResponse);
    await page.goto(BASE + '/today');
    await page.getByRole('heading', { name: /^Today/ }).waitFor();
    await page.getByRole('button', { name: 'Log interaction' }).click();
    const dlg = page.getByRole('dialog', { name: 'Log interaction' });
    await dlg.waitFor();
    await page.waitForTimeout(500);
    page.off('response', onResponse);
    if (refused.length) throw new Error(refused.join('; '));
    await dlg.getByRole('button', { name: 'Cancel' }).click();
  });

  await check('pipeline at 1280: every column fits, a card spaces its value, close date and probability', async () => {
    await page.goto(BASE + '/pipeline');
    await page.getByRole('list', { name: 'Deals in Lost' }).waitFor();
    await page.locator('.deal .meta').first().waitFor();
    await page.waitForTimeout(300);
    await shot(page, 'walk-pipeline-1280');
    const r = await page.evaluate(() => {
      const board = document.querySelector('.board');
      const b = board.getBoundingClientRect();
      const lost = document.querySelector('[data-column="#lost"], section.column:last-of-type').getBoundingClientRect();
      const touching = [];
      for (const meta of document.querySelectorAll('.deal .meta')) {
        const parts = [...meta.children].map((c) => c.getBoundingClientRect());
        for (let i = 1; i < parts.length; i++)
          if (Math.abs(parts[i].top - parts[i - 1].top) < 2 && parts[i].left - parts[i - 1].right < 4) touching.push(meta.textContent);
      }
      for (const card of document.querySelectorAll('.deal'))
        if (card.scrollWidth > card.clientWidth + 1) touching.push(`wider than its card: ${card.querySelector('.title').textContent}`);
      return { overflow: board.scrollWidth - board.clientWidth, lostRight: lost.right, boardRight: b.right, touching };
    });
    if (r.overflow > 0 || r.lostRight > r.boardRight + 1) throw new Error(`the board overflows by ${r.overflow} px; Lost ends at ${r.lostRight}, the board at ${r.boardRight}`);
    if (r.touching.length) throw new Error(`run together: ${r.touching.join(' | ')}`);
  });

  await check('Edit deal shows the deal\'s client in its Client field', async () => {
    await page.getByRole('button', { name: 'Edit Walk: research retainer' }).click();
    const dlg = page.getByRole('dialog', { name: 'Edit Walk: research retainer' });
    await dlg.waitFor();
    const box = dlg.locator('#edit-deal-client_id');
    await page.waitForFunction(() => document.querySelector('#edit-deal-client_id')?.value === 'Quarry Labs', null, { timeout: 3000 })
      .catch(async () => { throw new Error(`the Client field reads "${await box.inputValue()}"`); });
    await shot(page, 'walk-pipeline-edit');
    await page.keyboard.press('Escape');
  });

  await check('a client page titles its feedback by kind and score, not by id', async () => {
    await page.goto(BASE + '/clients/' + encodeURIComponent(await clientId('Northwind Studio')));
    const panel = page.getByRole('region', { name: 'Feedback', exact: true });
    await panel.locator('li').first().waitFor();
    const lines = await panel.locator('li').allTextContents();
    if (lines.some((l) => /fb_[0-9A-Z]{10}/.test(l))) throw new Error(`an id as a title: ${lines.join(' | ')}`);
    if (!lines.every((l) => /^\s*(CSAT \d\/5|NPS \d+|Pulse( \d\/5)?|Debrief( \d\/5)?)/.test(l))) throw new Error(`titles: ${lines.join(' | ')}`);
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'walk-client-feedback');
  });

  await check('Reports: each client at risk names each reason once', async () => {
    await page.goto(BASE + '/reports');
    const risk = page.locator('section.risk');
    await risk.locator('ul.reasons li').first().waitFor();
    const lists = await risk.locator('ul.reasons').evaluateAll((uls) => uls.map((ul) => [...ul.children].map((li) => li.textContent)));
    const twice = lists.filter((l) => new Set(l).size !== l.length);
    if (twice.length) throw new Error(`said twice: ${JSON.stringify(twice)}`);
    await risk.scrollIntoViewIfNeeded();
    await shot(page, 'walk-reports-risk');
    await page.locator('figure img').first().scrollIntoViewIfNeeded();
    await shot(page, 'walk-reports-charts');
  });

  await check('Today: each deliverable due says when', async () => {
    await page.goto(BASE + '/today');
    const sec = page.getByRole('region', { name: /^Deliverables due this week/ });
    await sec.locator('li').first().waitFor();
    const lines = await sec.locator('li').allTextContents();
    const undated = lines.filter((l) => !/\bdue [A-Z][a-z]{2} \d{1,2}, \d{4}/.test(l));
    if (undated.length) throw new Error(`no due date: ${undated.join(' | ')}`);
    await sec.scrollIntoViewIfNeeded();
    await shot(page, 'walk-today-deliverables');
  });

  await check('a client page writes "Open tasks 1 (1 overdue)" with its space', async () => {
    const r = await apiCall('GET', '/api/v1/clients?limit=200');
    const late = [];
    for (const c of r.body.data) {
      const one = await apiCall('GET', `/api/v1/clients/${c.id}`);
      if (one.body.attention?.overdue_tasks) { late.push(c); break; }
    }
    if (!late.length) throw new Error('no demo client with an overdue task');
    await page.goto(BASE + '/clients/' + encodeURIComponent(late[0].id));
    const dd = page.locator('dt:text-is("Open tasks") + dd');
    await dd.waitFor();
    const text = (await dd.textContent()).trim();
    if (!/^\d+ \(\d+ overdue\)$/.test(text)) throw new Error(`reads "${text}"`);
  });

  await check('Tickets: an answered ticket shows the API\'s status and leaves the open queue\'s actions', async () => {
    const t = await create('/api/v1/tickets', { client_id: quarry, subject: 'Walk: where is the invoice PDF?', kind: 'inquiry' });
    await page.goto(BASE + '/tickets');
    await page.getByRole('button', { name: `Answer: ${t.subject}` }).click();
    const dlg = page.getByRole('dialog', { name: `Answer: ${t.subject}` });
    await dlg.getByLabel('Answer', { exact: true }).fill('Attached again, and linked from the portal.');
    await dlg.getByRole('button', { name: 'Send answer' }).click();
    await dlg.waitFor({ state: 'hidden' });
    const api = await apiCall('GET', `/api/v1/tickets/${t.id}`);
    const row = page.locator('tbody tr', { hasText: t.subject });
    await row.getByText('no longer open').waitFor({ timeout: 3000 });
    const status = (await row.locator('td span').filter({ hasText: /^(Open|Answered|Resolved)$/ }).first().textContent()).trim();
    if (status.toLowerCase() !== api.body.status) throw new Error(`the row says ${status}, the API ${api.body.status}`);
    if (await row.getByRole('button').count()) throw new Error('Answer and Resolve still offered in the open queue');
    await shot(page, 'walk-tickets-answered');
  });
} finally {
  await wide.close();
}

const narrow = await newContext(375);
const phone = await narrow.newPage();
await signIn(phone);
try {
  await check('a project page at 375 px fits the screen: the change requests scroll in their own box', async () => {
    const r = await apiCall('GET', '/api/v1/projects?q=Spring&limit=10');
    const spring = r.body.data.find((p) => p.name === 'Spring campaign');
    await phone.goto(BASE + '/projects/' + encodeURIComponent(spring.id));
    const table = phone.getByRole('table', { name: 'Change requests' });
    await table.waitFor();
    await phone.waitForTimeout(200);
    const m = await phone.evaluate(() => {
      const t = document.querySelector('table[aria-label="Change requests"]');
      const box = t.parentElement;
      const words = [...t.querySelectorAll('tbody td:first-child')].map((td) => {
        const range = document.createRange(); range.selectNodeContents(td);
        return { lines: range.getClientRects().length, words: td.textContent.trim().split(/\s+/).length };
      });
      return { page: document.documentElement.scrollWidth, view: window.innerWidth, boxRight: box.getBoundingClientRect().right, scrolls: box.scrollWidth > box.clientWidth, words };
    });
    await table.scrollIntoViewIfNeeded();
    await shot(phone, 'walk-project-375');
    if (m.page > m.view) throw new Error(`the page is ${m.page} px wide in a ${m.view} px window`);
    if (m.boxRight > m.view) throw new Error(`the table's box ends at ${m.boxRight} px`);
    // a word broken mid-way takes more lines than the description has words
    const broken = m.words.filter((w) => w.lines > w.words);
    if (broken.length) throw new Error(`descriptions broken mid-word: ${JSON.stringify(broken)}`);
  });

  await check('the clients list at 375 px gives the name the room: 40 % of the row, badges whole', async () => {
    await phone.goto(BASE + '/clients');
    await phone.locator('tbody td.c-name a').first().waitFor();
    await shot(phone, 'walk-clients-375');
    const m = await phone.evaluate(() => {
      const table = document.querySelector('table[aria-label="Clients"]').getBoundingClientRect().width;
      const name = document.querySelector('tbody td.c-name').getBoundingClientRect().width;
      const cut = [...document.querySelectorAll('tbody td .badge')].filter((b) => b.getBoundingClientRect().right > b.closest('td').getBoundingClientRect().right + 0.5).map((b) => b.textContent);
      return { table, name, cut };
    });
    if (m.name < 0.4 * m.table) throw new Error(`the name column is ${Math.round(m.name)} px of ${Math.round(m.table)}`);
    if (m.cut.length) throw new Error(`badges cut: ${m.cut.join(', ')}`);
  });
} finally {
  await narrow.close();
}
await finish(t0);
