// service.mjs — browser tests of the service and money pages: tickets (answer one), feedback (mark one
// acted on), invoices and revenue, reports, import (a CSV with an error, the mapping fixed, imported).
// Seeds its own records through the API, so it runs whatever ran before it on the same server.
import {
  ok, check, apiCall, newContext, cspViolations, axe, shot, signIn, shotsOnly, finish, BASE, OWNER_TOKEN,
} from './lib.mjs';

const t0 = Date.now();
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const day = (ms) => new Date(ms).toISOString().slice(0, 10);
const DAY = 86400000;

async function clientId(name) {
  const r = await apiCall('GET', `/api/v1/clients?q=${encodeURIComponent(name.split(" ")[0])}&limit=20`);
  const c = r.body.data.find((x) => x.name === name);
  if (!c) throw new Error(`no demo client ${name}`);
  return c.id;
}
async function create(path, body) {
  const r = await apiCall('POST', path, body);
  if (r.status !== 201) throw new Error(`POST ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

// ---- the records the pages show
const harbor = await clientId('Harbor & Finch LLP'); // promises an answer in 8 business hours
const bluebell = await clientId('Bluebell Bakery');
const now = Date.now();
const late = await create('/api/v1/tickets', { client_id: harbor, subject: 'Invoice PDF will not open', kind: 'complaint', priority: 'high', opened_at: iso(now - 6 * DAY) });
await create('/api/v1/tickets', { client_id: bluebell, subject: 'Can we add a second location?', kind: 'request', opened_at: iso(now - 3600000) });
await create('/api/v1/tickets', { client_id: harbor, subject: 'Where do I find last year\'s report?', kind: 'inquiry', opened_at: iso(now - 2 * DAY) });
const unhappy = await create('/api/v1/feedback', { client_id: harbor, kind: 'csat', score: 2, comment: 'Replies took days; we felt ignored.', received_at: iso(now - 5 * DAY) });
await create('/api/v1/feedback', { client_id: bluebell, kind: 'nps', score: 9, comment: 'Would recommend to the other bakeries.', received_at: iso(now - 2 * DAY) });
await create('/api/v1/feedback', { client_id: bluebell, kind: 'pulse', score: 4, received_at: iso(now - DAY) });
await create('/api/v1/invoices', { client_id: harbor, number: 'INV-2001', amount: '4200.00', status: 'issued', issued_on: day(now - 45 * DAY), due_on: day(now - 15 * DAY) });
await create('/api/v1/invoices', { client_id: bluebell, number: 'INV-2002', amount: '1250.50', status: 'issued', issued_on: day(now - 5 * DAY), due_on: day(now + 25 * DAY) });
await create('/api/v1/invoices', { client_id: bluebell, number: 'INV-1990', amount: '980.00', status: 'paid', issued_on: day(now - 70 * DAY), due_on: day(now - 40 * DAY), paid_on: day(now - 42 * DAY) });
await create('/api/v1/invoices', { client_id: harbor, number: 'INV-1985', amount: '3000.00', status: 'paid', issued_on: day(now - 100 * DAY), due_on: day(now - 70 * DAY), paid_on: day(now - 75 * DAY) });

const pages = [
  ['tickets', 'Tickets', () => 'Invoice PDF will not open'],
  ['feedback', 'Feedback', () => 'Replies took days; we felt ignored.'],
  ['invoices', 'Invoices and revenue', () => 'INV-2001'],
  ['import', 'Import', () => 'CSV file'],
  ['reports', 'Reports', () => 'Clients at risk'],
];
// a file whose Email column holds no addresses: the addresses are in "Reach them at"
const CSV = 'Name,Email,Reach them at\nFjord Coffee,front desk,hello@fjord.example\nKestrel Legal,reception,office@kestrel.example\n';

try {
  // ---- screenshots and axe on every page, at 1280 and 375 px
  for (const width of [1280, 375]) {
    const ctx = await newContext(width);
    const page = await ctx.newPage();
    await signIn(page);
    for (const [path, heading, text] of pages) {
      await page.goto(BASE + '/' + path);
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await page.getByText(text()).first().waitFor();
      await page.waitForTimeout(200);
      await shot(page, `${path}-${width}`);
      if (width === 1280) await axe(page, `the ${heading} page`);
    }
    ok((await cspViolations(page)).length === 0, `no CSP violation on the service pages at ${width} px`, (await cspViolations(page)).join('\n'));
    await ctx.close();
  }
  if (shotsOnly) throw 'done';

  const ctx = await newContext(1280);
  const page = await ctx.newPage();
  await signIn(page);

  // ---- tickets
  await check('the ticket queue puts breached tickets first and says the complaint is breached', async () => {
    await page.goto(BASE + '/tickets'); // the demo's own inquiry from Harbor waits past its promise too
    await page.locator('tbody tr', { hasText: 'Invoice PDF will not open' }).getByText(/^Breached/).waitFor();
    await page.locator('tbody tr').first().getByText(/^Breached/).waitFor();
  });
  await check('filters by kind and client go into the URL', async () => {
    await page.getByLabel('Kind').selectOption('request');
    await page.waitForURL(/kind=request/);
    await page.getByText('Can we add a second location?').waitFor();
    await page.getByText('Invoice PDF will not open').waitFor({ state: 'detached', timeout: 5000 })
      .catch(() => { throw new Error('a complaint is listed under requests'); });
    await page.goto(BASE + '/tickets');
    await page.getByRole('combobox', { name: 'Client' }).pressSequentially('Harbor', { delay: 20 });
    await page.getByRole('option', { name: 'Harbor & Finch LLP' }).click();
    await page.waitForURL(/client_id=/);
    await page.getByText('Where do I find last year').waitFor();
    await page.getByText('Can we add a second location?').waitFor({ state: 'detached', timeout: 5000 })
      .catch(() => { throw new Error('another client\'s ticket is listed'); });
  });
  await check('answer a ticket: the answer is on the client\'s timeline and the ticket is answered', async () => {
    await page.goto(BASE + '/tickets');
    await page.getByRole('button', { name: 'Answer: Invoice PDF will not open' }).click();
    const dlg = page.getByRole('dialog', { name: 'Answer: Invoice PDF will not open' });
    await dlg.getByLabel('Answer', { exact: true }).fill('Sorry about that: a fixed PDF is attached, and we have checked the others.');
    await shot(page, 'ticket-answer-1280');
    await axe(page, 'the Answer dialog');
    await dlg.getByRole('button', { name: 'Send answer' }).click();
    await dlg.waitFor({ state: 'hidden' });
    const t = await apiCall('GET', `/api/v1/tickets/${late.id}`);
    if (t.body.status !== 'answered' || !t.body.first_response_at) throw new Error(JSON.stringify(t.body));
    const i = await apiCall('GET', `/api/v1/interactions?client_id=${harbor}&limit=50`);
    if (!i.body.data.some((x) => x.ticket_id === late.id && x.direction === 'outbound' && /fixed PDF/.test(x.summary)))
      throw new Error('the answer is not logged');
    await page.locator('tbody tr', { hasText: 'Invoice PDF will not open' }).getByText('Answered', { exact: true }).waitFor();
  });
  await check('nothing typed is lost: an answer survives a failed send and a reload', async () => {
    await page.goto(BASE + '/tickets');
    await page.getByRole('button', { name: 'Answer: Can we add a second location?' }).click();
    let dlg = page.getByRole('dialog', { name: 'Answer: Can we add a second location?' });
    await dlg.getByLabel('Answer', { exact: true }).fill('Yes: a second location is part of the Growth plan.');
    await page.route('**/api/v1/interactions', (route) => route.abort('internetdisconnected'), { times: 1 });
    await dlg.getByRole('button', { name: 'Send answer' }).click();
    await dlg.getByRole('alert').filter({ hasText: 'could not be reached' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Answer: Can we add a second location?' }).click();
    dlg = page.getByRole('dialog', { name: 'Answer: Can we add a second location?' });
    const kept = await dlg.getByLabel('Answer', { exact: true }).inputValue();
    if (kept !== 'Yes: a second location is part of the Growth plan.') throw new Error('after reload: ' + kept);
    await page.keyboard.press('Escape');
  });
  await check('resolve a ticket', async () => {
    await page.goto(BASE + '/tickets?status=answered'); // answered: out of the open queue
    await page.getByRole('button', { name: 'Resolve: Invoice PDF will not open' }).click();
    await page.locator('tbody tr', { hasText: 'Invoice PDF will not open' }).getByText('Resolved').waitFor();
    const t = await apiCall('GET', `/api/v1/tickets/${late.id}`);
    if (t.body.status !== 'resolved') throw new Error(t.body.status);
  });

  // ---- feedback
  await check('mark feedback acted on, with the action and the note back', async () => {
    await page.goto(BASE + '/feedback');
    await page.getByText('Replies took days; we felt ignored.').waitFor();
    await page.getByRole('button', { name: /^Mark acted on: CSAT from Harbor & Finch LLP/ }).click();
    const dlg = page.getByRole('dialog', { name: 'Mark acted on' });
    await dlg.getByRole('button', { name: 'Save as acted on' }).click();
    await dlg.locator('#act-action-error').waitFor(); // nothing said: named next to the field
    await dlg.getByLabel('What was done').fill('Same-day replies; an on-call rota set up.');
    await dlg.getByLabel('Note back to the client').fill('We heard you: answers within the day from now on.');
    await shot(page, 'feedback-act-1280');
    await axe(page, 'the Mark acted on dialog');
    await dlg.getByRole('button', { name: 'Save as acted on' }).click();
    await dlg.waitFor({ state: 'hidden' });
    await page.getByText('Same-day replies; an on-call rota set up.').waitFor();
    const f = await apiCall('GET', `/api/v1/feedback/${unhappy.id}`);
    if (!f.body.acted_on_at || f.body.reply_note !== 'We heard you: answers within the day from now on.') throw new Error(JSON.stringify(f.body));
    if (await page.getByRole('button', { name: /^Mark acted on: CSAT from Harbor/ }).count()) throw new Error('still offered');
  });

  await check('feedback not yet acted on is one choice away (?acted_on=false to the API)', async () => {
    await page.getByLabel('Acted on', { exact: true }).selectOption('false');
    await page.waitForURL(/acted_on=false/);
    await page.getByText('Would recommend to the other bakeries.').waitFor();
    await page.getByText('Replies took days; we felt ignored.').waitFor({ state: 'detached', timeout: 5000 })
      .catch(() => { throw new Error('feedback acted on is listed as not acted on'); });
    await page.reload();
    if ((await page.getByLabel('Acted on', { exact: true }).inputValue()) !== 'false') throw new Error('the filter is not kept');
    await page.getByLabel('Acted on', { exact: true }).selectOption('true');
    await page.getByText('Replies took days; we felt ignored.').waitFor();
    if (await page.getByText('Would recommend to the other bakeries.').count()) throw new Error('feedback not acted on is listed as acted on');
  });

  await check('client names come in one request per page, not one per client', async () => {
    const asked = [];
    const onReq = (r) => { if (/\/api\/v1\/clients(\/cli_|\?)/.test(r.url())) asked.push(r.url()); };
    page.on('request', onReq);
    await page.goto(BASE + '/tickets?status=any');
    await page.locator('tbody tr').first().getByRole('link', { name: /\S/ }).first().waitFor();
    await page.waitForLoadState('networkidle');
    page.off('request', onReq);
    const one = asked.filter((u) => /\/clients\/cli_/.test(u)), batch = asked.filter((u) => /clients\?.*id=/.test(u));
    if (one.length || batch.length !== 1) throw new Error(`asked: ${asked.join(' ')}`);
    const ids = new URL(batch[0]).searchParams.get('id').split(',');
    if (ids.length < 2) throw new Error(`one id: ${batch[0]}`);
  });

  // ---- invoices and revenue
  await check('invoices: outstanding and overdue now, paid in the period, the overdue invoice marked', async () => {
    await page.goto(BASE + '/invoices');
    const open = page.getByRole('region', { name: /^Open now/ });
    await open.getByText('Outstanding').waitFor();
    const figures = (await open.locator('dd').allInnerTexts()).join(' | ');
    // with the demo's own invoices: 11,300.00 outstanding (2,400.00 of it overdue) and 37,200.00 paid
    if (!/16,750\.50/.test(figures) || !/6,600\.00/.test(figures) || !/\(2\)/.test(figures)) throw new Error(figures);
    const paid = await page.getByRole('region', { name: 'Paid' }).locator('dd').first().innerText();
    if (!/41,180\.00/.test(paid)) throw new Error('paid: ' + paid);
    await page.getByRole('row', { name: /INV-2001/ }).getByText('Overdue').waitFor();
  });
  await check('a client\'s page links onward to all their invoices', async () => {
    await page.goto(BASE + '/clients/' + encodeURIComponent(bluebell));
    await page.getByRole('link', { name: 'All invoices of this client' }).click();
    await page.waitForURL(/\/invoices\?client_id=/);
    await page.getByRole('region', { name: 'Bluebell Bakery' }).getByText('Lifetime value').waitFor();
    await page.goto(BASE + '/invoices');
  });
  await check('invoices: one client\'s figures and invoices, from the client filter', async () => {
    await page.getByRole('combobox', { name: 'Client' }).pressSequentially('Bluebell', { delay: 20 });
    await page.getByRole('option', { name: 'Bluebell Bakery' }).click();
    await page.waitForURL(/client_id=/);
    const region = page.getByRole('region', { name: 'Bluebell Bakery' });
    await region.getByText('Lifetime value').waitFor();
    const figures = (await region.locator('dd').allInnerTexts()).join(' | ');
    if (!/1,250\.50/.test(figures) || !/4,780\.00/.test(figures)) throw new Error(figures); // 980.00 and the demo's 3,800.00
    await page.getByRole('row', { name: /INV-2001/ }).waitFor({ state: 'detached' });
    await shot(page, 'invoices-client-1280');
  });

  // ---- reports
  await check('reports: rates as percentages, money as money, by month, the charts, the clients at risk', async () => {
    await page.goto(BASE + '/reports');
    const kpi = (label) => page.locator('.kpis div', { hasText: label }).locator('dd');
    await kpi('Retention').waitFor();
    const retention = await kpi('Retention').innerText();
    if (!/^\d+(\.\d)?\s?%$/.test(retention)) throw new Error('retention: ' + retention);
    const csat = await kpi('CSAT').innerText();
    if (csat !== '3 / 5') throw new Error('csat: ' + csat); // 2 here, and the demo's 4, 5, 2 and 2
    const ltv = await kpi('Lifetime value').innerText();
    if (!/€/.test(ltv)) throw new Error('lifetime value: ' + ltv);
    if ((await page.locator('table[aria-labelledby="rep-series-h"] tbody tr').count()) !== 12) throw new Error('not twelve months');
    await page.waitForFunction(() => [...document.querySelectorAll('figure img')].every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 5000 });
    if ((await page.getByRole('img', { name: /Retention rate per month|Paid revenue per month|First responses|health band/ }).count()) !== 4) throw new Error('not four charts');
    const risk = page.getByRole('region', { name: /Clients at risk/ });
    await risk.getByRole('link', { name: 'Bluebell Bakery' }).waitFor();
    await risk.getByText(/no update since/).first().waitFor();
  });
  await check('reports: by owner, in the URL; Export CSV is the server\'s CSV (units in the header, a row per owner)', async () => {
    await page.getByLabel('By', { exact: true }).selectOption('owner');
    await page.waitForURL(/group_by=owner/);
    await page.locator('table[aria-labelledby="rep-series-h"] thead th', { hasText: 'Owner' }).waitFor();
    const link = page.getByRole('link', { name: 'Export CSV' });
    const href = await link.getAttribute('href');
    if (!/^\/api\/v1\/metrics\?/.test(href) || !/format=csv/.test(href) || !/group_by=owner/.test(href)) throw new Error(`href ${href}`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const text = await new Response(await download.createReadStream()).text();
    const lines = text.trim().split('\r\n');
    const header = lines[0].split(',');
    for (const k of ['key', 'label', 'retention_rate_pct', 'win_rate_pct', 'first_response_median_business_hours'])
      if (!header.includes(k)) throw new Error('header: ' + lines[0]);
    if (!header.some((h) => /^lifetime_value_EUR$/.test(h))) throw new Error('no money column per currency: ' + lines[0]);
    if (lines.length < 2 || !lines[1].startsWith('usr_')) throw new Error('rows: ' + lines.slice(1).join(' / '));
    if (/EUR \d|%/.test(lines.slice(1).join('\n'))) throw new Error('units in the cells: ' + text);
    const api = await apiCall('GET', '/api/v1/metrics?' + new URL(href, BASE).searchParams.toString().replace('format=csv', 'format=json'));
    if (api.status !== 200 || lines.length - 1 !== api.body.data.length) throw new Error(`rows ${lines.length - 1} against ${api.body.data?.length}`);
  });
  await check('reports print without the shell or the controls', async () => {
    await page.emulateMedia({ media: 'print' });
    if (await page.locator('header.top').isVisible()) throw new Error('the header prints');
    if (await page.getByRole('link', { name: 'Export CSV' }).isVisible()) throw new Error('the export link prints');
    await page.getByText(/to .* \(excluded\)/).first().waitFor();
    await shot(page, 'reports-print-1280');
    await page.emulateMedia({ media: 'screen' });
  });

  // ---- import
  await check('import a CSV: the dry run names each bad row and column', async () => {
    await page.goto(BASE + '/import');
    await page.getByLabel('Import', { exact: true }).selectOption('clients');
    await page.getByLabel('CSV file').setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    const problems = page.getByRole('table', { name: 'Problems found' });
    await problems.waitFor();
    const cells = await problems.locator('tbody tr').first().locator('td').allInnerTexts();
    if (cells[0] !== '2' || !/email/i.test(cells[1]) || !/not an email address/.test(cells[2])) throw new Error(JSON.stringify(cells));
    if (await problems.locator('tbody tr').count() !== 2) throw new Error('not two problems');
    if (!(await page.getByRole('button', { name: /^Import 2 clients/ }).isDisabled())) throw new Error('import offered with errors');
    await shot(page, 'import-errors-1280');
    await axe(page, 'the Import page with a dry run\'s problems');
  });
  await check('fix the mapping, check again, import with a progress bar', async () => {
    await page.getByLabel('Where “Email” goes').selectOption('notes');
    await page.getByLabel('Where “Reach them at” goes').selectOption('email');
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByText('All 2 rows are valid').waitFor();
    await page.getByRole('button', { name: /^Import 2 clients/ }).click();
    await page.getByText(/^Imported 2/).waitFor();
    if (!(await page.getByRole('button', { name: /^Import 2 clients/ }).isDisabled())) throw new Error('the same file can be imported twice by a second click');
    const bar = page.getByRole('progressbar', { name: /Import progress/ });
    if ((await bar.getAttribute('value')) !== (await bar.getAttribute('max'))) throw new Error('the bar is not full');
    await shot(page, 'import-done-1280');
    const r = await apiCall('GET', '/api/v1/clients?q=Kestrel&limit=5');
    const k = r.body.data.find((c) => c.name === 'Kestrel Legal');
    if (!k || k.email !== 'office@kestrel.example' || !/reception/.test(k.notes ?? '')) throw new Error(JSON.stringify(k));
  });

  ok((await cspViolations(page)).length === 0, 'no CSP violation through the service tests', (await cspViolations(page)).join('\n'));
  await ctx.close();
  // ---- a viewer reads the pages and is offered no action (the API refuses them anyway)
  const viewer = await apiCall('POST', '/api/v1/users', { email: 'service-viewer@example.com', role: 'viewer', password: 'viewer-pass-otter-7', name: 'Sam Viewer' });
  ok(viewer.status === 201, 'a viewer is added through the API', JSON.stringify(viewer.body));
  const vctx = await newContext(1280);
  const vpage = await vctx.newPage();
  await check('a viewer sees tickets, feedback and imports with no action offered', async () => {
    await signIn(vpage, 'service-viewer@example.com', 'viewer-pass-otter-7');
    await vpage.goto(BASE + '/tickets?status=any');
    await vpage.getByText('Can we add a second location?').waitFor();
    if (await vpage.getByRole('button', { name: /^(Answer|Resolve):/ }).count()) throw new Error('ticket actions shown');
    await vpage.goto(BASE + '/feedback');
    await vpage.getByText('Would recommend to the other bakeries.').waitFor();
    if (await vpage.getByRole('button', { name: /^Mark acted on/ }).count()) throw new Error('"Mark acted on" shown');
    await vpage.goto(BASE + '/import');
    await vpage.getByText('may look at imports but not start one').waitFor();
    if (await vpage.getByLabel('CSV file').count()) throw new Error('the file input is shown');
  });
  await vctx.close();
} catch (e) {
  if (e !== 'done') ok(false, 'the service browser module ran to its end', e && e.stack);
}
await finish(t0);
