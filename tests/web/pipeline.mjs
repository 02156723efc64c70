// pipeline.mjs — the pipeline board, projects and onboarding in the browser (run by run.sh; the shared
// helpers are in lib.mjs): win a deal by dragging it and by keyboard (its client becomes active, as
// the API's rules say), lose one with its reason, the list view; create a project, record the
// agreement, propose and approve a change request and see the budget and due date move; start a
// client's onboarding, tick a step, record an intake answer. axe and screenshots at 1280 and 375 px.
import { ok, check, apiCall, browser, newContext, cspViolations, axe, shot, signIn, shotsOnly, finish, BASE } from './lib.mjs';

const t0 = Date.now();
const must = async (method, path, body) => {
  const r = await apiCall(method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

try {
  // ---- the data: two leads with a deal each to win, a third to lose, deals in every stage
  const stages = (await must('GET', '/api/v1/deal-stages?sort=position')).data;
  const lead = async (name) => must('POST', '/api/v1/clients', { name, stage: 'lead' });
  const dragClient = await lead('Dragwin Studio');
  const keyClient = await lead('Keywin Partners');
  const loseClient = await lead('Lostcause Ltd');
  const deal = (client, title, stage, value, currency = 'EUR') =>
    must('POST', '/api/v1/deals', { client_id: client.id, title, stage, value, currency });
  const dragDeal = await deal(dragClient, 'Website rebuild', stages[0].name, '12000.00');
  const keyDeal = await deal(keyClient, 'Brand refresh', stages[0].name, '8000.00');
  const loseDeal = await deal(loseClient, 'Security audit', stages[1].name, '3000.00');
  await deal(keyClient, 'Monthly retainer', stages[2].name, '2500.00', 'USD');
  // a project well under way, for the pictures: agreed, one change approved and one proposed, deliverables
  const signer = await must('POST', '/api/v1/contacts', { client_id: keyClient.id, first_name: 'Sam', last_name: 'Signer' });
  const shown = await must('POST', '/api/v1/projects', {
    client_id: keyClient.id, name: 'Brand guidelines', budget: '6400.00', due_date: '2027-02-12', status: 'agreed',
    agreed_by_id: signer.id, scope: 'Logo set, colour palette and a type guide, delivered as a PDF and source files.',
  });
  const cr1 = await must('POST', '/api/v1/change-requests', { project_id: shown.id, description: 'Add social media templates', impact_days: 5, impact_cost: '800.00' });
  await must('PATCH', `/api/v1/change-requests/${cr1.id}`, { status: 'approved', decided_by_id: signer.id, version: cr1.version });
  await must('POST', '/api/v1/change-requests', { project_id: shown.id, description: 'A second logo variant for print', impact_days: 7, impact_cost: '1200.00' });
  await must('POST', '/api/v1/milestones', { project_id: shown.id, name: 'Concepts signed off', due_date: '2027-01-10' });
  for (const [name, status] of [['Logo set', 'delivered'], ['Colour palette', 'in_progress'], ['Type guide', 'todo']])
    await must('POST', '/api/v1/deliverables', { project_id: shown.id, name, status, due_date: '2027-01-20' });

  for (const width of [1280, 375]) {
    const ctx = await newContext(width);
    const page = await ctx.newPage();
    await signIn(page);
    await page.goto(BASE + '/pipeline');
    await page.getByRole('button', { name: `Move ${dragDeal.title}` }).waitFor();
    await shot(page, `pipeline-${width}`);
    if (width === 1280) {
      await axe(page, 'the pipeline board');
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot(page, 'pipeline-dark-1280');
      await axe(page, 'the pipeline board in the dark theme');
      await page.emulateMedia({ colorScheme: 'light' });
    }
    await page.getByRole('button', { name: 'List' }).click();
    await page.getByRole('table', { name: 'Deals' }).getByText(dragDeal.title).waitFor();
    await shot(page, `pipeline-list-${width}`);
    if (width === 1280) await axe(page, 'the pipeline list');
    await page.goto(BASE + '/projects');
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
    await page.waitForTimeout(200);
    await shot(page, `projects-${width}`);
    if (width === 1280) await axe(page, 'the projects list');
    await page.goto(BASE + `/projects/${shown.id}`);
    await page.getByRole('heading', { name: 'Change requests' }).waitFor();
    await page.getByLabel('Status of Colour palette').waitFor();
    await shot(page, `project-${width}`);
    if (width === 1280) await axe(page, 'a project page');
    await page.goto(BASE + '/onboarding');
    await page.getByRole('heading', { name: 'Templates' }).waitFor();
    await page.waitForTimeout(200);
    await shot(page, `onboarding-${width}`);
    if (width === 1280) await axe(page, 'onboarding');
    ok((await cspViolations(page)).length === 0, `no CSP violation on the pipeline, projects and onboarding at ${width} px`, (await cspViolations(page)).join('\n'));
    await ctx.close();
  }
  if (shotsOnly) throw 'done';

  const ctx = await newContext(1280);
  const page = await ctx.newPage();
  await signIn(page);
  await page.goto(BASE + '/pipeline');
  const column = (name) => page.locator(`section[data-column="${name}"]`);

  await check('the board shows each stage with its count, total and weighted value', async () => {
    const head = column(stages[0].name).locator('header');
    await head.getByText(/weighted/).waitFor();
    const text = await head.innerText();
    // the two deals above and the demo's own qualified deal (Elm Street Dental, 6,800.00)
    if (!/Qualified|qualified/.test(text) || !/26,800|26\.800|26 800/.test(text)) throw new Error(`first column: ${text}`);
    const usd = await column(stages[2].name).locator('header').innerText();
    if (!/\$|USD/.test(usd)) throw new Error(`the USD deal's column shows no dollars: ${usd}`);
  });

  await check('a deal dragged by pointer onto Won is won, and its client becomes active', async () => {
    const card = page.locator(`[data-deal="${dragDeal.id}"]`);
    const box = await card.boundingBox();
    const won = await column('#won').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + 12);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 20, box.y + 20, { steps: 4 });
    await page.mouse.move(won.x + won.width / 2, won.y + 60, { steps: 12 });
    await page.mouse.up();
    await column('#won').locator(`[data-deal="${dragDeal.id}"]`).waitFor();
    const d = await must('GET', `/api/v1/deals/${dragDeal.id}`);
    const c = await must('GET', `/api/v1/clients/${dragClient.id}`);
    if (d.status !== 'won' || c.stage !== 'active') throw new Error(`deal ${d.status}, client ${c.stage}`);
  });

  await check('a deal moved by keyboard (Space, arrows, Space) is won, its client active, focus kept', async () => {
    const handle = page.getByRole('button', { name: `Move ${keyDeal.title}` });
    await handle.focus();
    await page.keyboard.press('Space');
    await page.getByRole('status').filter({ hasText: 'Picked up' }).waitFor({ state: 'attached' });
    for (let i = 0; i < stages.length; i++) await page.keyboard.press('ArrowRight'); // past the stages: Won
    await page.keyboard.press('Space');
    await column('#won').locator(`[data-deal="${keyDeal.id}"]`).waitFor();
    const d = await must('GET', `/api/v1/deals/${keyDeal.id}`);
    const c = await must('GET', `/api/v1/clients/${keyClient.id}`);
    if (d.status !== 'won' || c.stage !== 'active') throw new Error(`deal ${d.status}, client ${c.stage}`);
    await page.waitForFunction((name) => document.activeElement?.getAttribute('aria-label') === name, `Move ${keyDeal.title}`, { timeout: 5000 })
      .catch(async () => { throw new Error(`focus is on ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120))}`); });
  });

  await check('Escape or Tab cancels a keyboard move; a move to the next stage changes the stage', async () => {
    const handle = page.getByRole('button', { name: `Move ${loseDeal.title}` });
    await handle.focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Escape');
    if ((await must('GET', `/api/v1/deals/${loseDeal.id}`)).stage !== stages[1].name) throw new Error('Escape moved it');
    await page.keyboard.press('Space'); // picked up again, then Tab leaves the card: nothing moves
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Tab');
    await page.getByRole('status').filter({ hasText: 'Move cancelled' }).waitFor({ state: 'attached' });
    await page.keyboard.press('Space'); // on the next control: no deal is held, so nothing drops
    if ((await must('GET', `/api/v1/deals/${loseDeal.id}`)).stage !== stages[1].name) throw new Error('Tab moved it');
    await handle.focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await column(stages[2].name).locator(`[data-deal="${loseDeal.id}"]`).waitFor();
    const d = await must('GET', `/api/v1/deals/${loseDeal.id}`);
    if (d.stage !== stages[2].name || d.status !== 'open') throw new Error(`${d.stage} ${d.status}`);
  });

  await check('dropping on Lost asks why; without a reason it stays open, with one it is lost', async () => {
    const handle = page.getByRole('button', { name: `Move ${loseDeal.title}` });
    await handle.focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight'); // Won
    await page.keyboard.press('ArrowRight'); // Lost
    await page.keyboard.press('Space');
    const dlg = page.getByRole('dialog', { name: 'Mark the deal lost' });
    await dlg.getByRole('button', { name: 'Mark lost' }).click();
    await dlg.getByText('Say why the deal was lost.').waitFor();
    if ((await must('GET', `/api/v1/deals/${loseDeal.id}`)).status !== 'open') throw new Error('lost without a reason');
    await dlg.getByLabel('Lost because').fill('Went with an in-house team');
    await dlg.getByRole('button', { name: 'Mark lost' }).click();
    await column('#lost').locator(`[data-deal="${loseDeal.id}"]`).getByText('Went with an in-house team').waitFor();
    const d = await must('GET', `/api/v1/deals/${loseDeal.id}`);
    if (d.status !== 'lost' || d.lost_reason !== 'Went with an in-house team') throw new Error(`${d.status} ${d.lost_reason}`);
  });

  await check('a won deal is final: dragging it back is refused with the API\'s reason', async () => {
    const card = column('#won').locator(`[data-deal="${dragDeal.id}"]`);
    const box = await card.boundingBox();
    const first = await column(stages[0].name).boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + 12);
    await page.mouse.down();
    await page.mouse.move(first.x + first.width / 2, first.y + 60, { steps: 12 });
    await page.mouse.up();
    await page.getByRole('alert').filter({ hasText: /final/ }).waitFor();
    if ((await must('GET', `/api/v1/deals/${dragDeal.id}`)).status !== 'won') throw new Error('the won deal moved');
  });

  await check('a deal edited from its card is saved with its version, and the column total follows', async () => {
    await page.getByRole('button', { name: 'Edit Monthly retainer' }).click();
    const dlg = page.getByRole('dialog', { name: 'Edit Monthly retainer' });
    await dlg.getByLabel(/^Value/).fill('3000');
    await dlg.getByRole('button', { name: 'Save deal' }).click();
    await column(stages[2].name).locator('header').getByText(/\$3,000\.00 · weighted \$2,100\.00/).waitFor();
    const d = (await must('GET', '/api/v1/deals?q=retainer')).data[0];
    if (d.value !== '3000.00' || d.version < 2) throw new Error(JSON.stringify(d));
  });

  await check('the list view filters by status in the URL', async () => {
    await page.getByRole('button', { name: 'List' }).click();
    await page.getByLabel('Status').selectOption('won');
    await page.waitForURL(/status=won/);
    const table = page.getByRole('table', { name: 'Deals' });
    await table.getByText(keyDeal.title).waitFor();
    if (await table.getByText(loseDeal.title).count()) throw new Error('a lost deal among the won');
    await page.reload();
    await table.getByText(dragDeal.title).waitFor();
  });

  // ---- a project from creation to an approved change
  const projectClient = await must('POST', '/api/v1/clients', { name: 'Projectful Co', stage: 'active' });
  const contact = await must('POST', '/api/v1/contacts', { client_id: projectClient.id, first_name: 'Dana', last_name: 'Approver' });
  const projectName = 'Shop launch';
  await check('New project creates a project and opens its page', async () => {
    await page.goto(BASE + '/projects');
    await page.getByRole('button', { name: 'New project' }).click();
    const dlg = page.getByRole('dialog', { name: 'New project' });
    await dlg.getByRole('combobox', { name: 'Client' }).pressSequentially(projectClient.name.slice(0, 10), { delay: 20 });
    await dlg.getByRole('option', { name: projectClient.name }).click();
    await dlg.getByLabel(/^Name/).fill(projectName);
    await dlg.getByLabel('Budget', { exact: true }).fill('10000');
    await dlg.getByLabel('Due', { exact: true }).fill('2027-03-01');
    await dlg.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: projectName }).waitFor();
  });

  await check('recording the agreement names who at the client, and makes the project agreed', async () => {
    await page.getByLabel('Agreed by (client contact)').selectOption({ label: 'Dana Approver' });
    await page.getByRole('button', { name: 'Record agreement' }).click();
    await page.getByText('Agreed by Dana Approver').waitFor();
    const id = page.url().split('/').pop();
    const p = await must('GET', `/api/v1/projects/${id}`);
    if (p.status !== 'agreed' || p.agreed_by_id !== contact.id || p.original_budget !== '10000.00') throw new Error(JSON.stringify(p));
  });

  await check('approving a change request shows before → after, then moves the budget and due date', async () => {
    await page.getByRole('button', { name: 'Propose a change' }).click();
    const dlg = page.getByRole('dialog', { name: 'Propose a change' });
    await dlg.getByLabel('Change').fill('Add a blog section');
    await dlg.getByLabel('Days added').fill('14');
    await dlg.getByLabel(/^Cost/).fill('2500');
    await dlg.getByRole('button', { name: 'Propose change' }).click();
    await page.getByRole('button', { name: 'Approve change: Add a blog section' }).click();
    const ap = page.getByRole('dialog', { name: 'Approve the change' });
    const preview = await ap.locator('table').innerText();
    if (!/10,000\.00.*12,500\.00/s.test(preview) || !/Mar 1, 2027.*Mar 15, 2027/s.test(preview)) throw new Error(`preview: ${preview}`);
    await ap.getByLabel('Decided by (client contact)').selectOption({ label: 'Dana Approver' });
    await ap.getByRole('button', { name: 'Approve change' }).click();
    await page.getByTestId('budget-now').filter({ hasText: '12,500.00' }).waitFor();
    await page.getByTestId('due-now').filter({ hasText: 'Mar 15, 2027' }).waitFor();
    const id = page.url().split('/').pop();
    const p = await must('GET', `/api/v1/projects/${id}`);
    if (p.budget !== '12500.00' || p.due_date !== '2027-03-15') throw new Error(`${p.budget} ${p.due_date}`);
    const cr = (await must('GET', `/api/v1/change-requests?project_id=${id}`)).data[0];
    if (cr.status !== 'approved' || cr.decided_by_id !== contact.id) throw new Error(JSON.stringify(cr));
  });

  await check('a deliverable is added and its status changed', async () => {
    await page.getByLabel('New deliverable').fill('Home page design');
    await page.getByRole('button', { name: 'Add deliverable' }).click();
    await page.getByLabel('Status of Home page design').selectOption('in_progress');
    const id = page.url().split('/').pop();
    for (let i = 0; i < 20; i++) {
      const d = (await must('GET', `/api/v1/deliverables?project_id=${id}`)).data[0];
      if (d?.status === 'in_progress') return;
      await page.waitForTimeout(100);
    }
    throw new Error('the deliverable did not move');
  });
  await check('the project\'s details are edited with its version (the hourly rate the API asks for)', async () => {
    await page.getByRole('button', { name: 'Edit details' }).click();
    const dlg = page.getByRole('dialog', { name: 'Edit the project\'s details' });
    await dlg.getByLabel(/^Name/).fill('Shop launch, phase one');
    await dlg.getByLabel(/^Billing/).selectOption('hourly');
    await dlg.getByRole('button', { name: 'Save details' }).click();
    await dlg.getByText(/hourly_rate/).waitFor(); // the API's refusal, next to the form
    await dlg.getByLabel('Hourly rate').fill('95');
    await dlg.getByRole('button', { name: 'Save details' }).click();
    await page.getByRole('heading', { name: 'Shop launch, phase one' }).waitFor();
    await page.getByText(/Hourly billing at €95\.00 an hour/).waitFor();
    const id = page.url().split('/').pop();
    const p = await must('GET', `/api/v1/projects/${id}`);
    if (p.name !== 'Shop launch, phase one' || p.hourly_rate !== '95.00' || p.budget !== '12500.00') throw new Error(JSON.stringify(p));
  });
  await axe(page, 'a project page after the change');

  // ---- onboarding
  const onboardClient = await must('POST', '/api/v1/clients', { name: 'Newcomer GmbH', stage: 'active' });
  await check('Start onboarding applies a template to a client and shows its steps', async () => {
    await page.goto(BASE + '/onboarding');
    await page.getByRole('heading', { name: 'Templates' }).waitFor();
    await page.getByRole('button', { name: 'Start onboarding' }).click();
    const dlg = page.getByRole('dialog', { name: 'Start onboarding' });
    await dlg.getByRole('combobox', { name: 'Client' }).pressSequentially(onboardClient.name.slice(0, 9), { delay: 20 });
    await dlg.getByRole('option', { name: onboardClient.name }).click();
    await dlg.getByRole('button', { name: 'Apply template' }).click();
    await page.getByRole('heading', { name: new RegExp(onboardClient.name) }).waitFor();
  });
  await check('ticking a step marks its task done', async () => {
    const box = page.getByRole('checkbox').first();
    const label = await page.locator(`label[for="${await box.getAttribute('id')}"]`).innerText();
    await box.check();
    await page.getByText(/1 of \d+ steps/).first().waitFor();
    const list = page.getByRole('region', { name: 'Clients onboarding' });
    await list.getByRole('listitem').filter({ hasText: onboardClient.name }).filter({ hasText: /1 of 4 steps/ }).waitFor();
    const prog = await must('GET', `/api/v1/clients/${onboardClient.id}/onboarding`);
    const step = prog.steps.find((s) => s.title === label);
    if (step?.status !== 'done' || prog.done !== 1) throw new Error(JSON.stringify(prog).slice(0, 300));
  });
  await check('an intake answer is saved against its question', async () => {
    const prog = await must('GET', `/api/v1/clients/${onboardClient.id}/onboarding`);
    const q = prog.questions[0].question;
    await page.getByLabel(q).fill('Twice the online orders by June');
    await page.getByRole('button', { name: 'Save answers' }).click();
    await page.getByText('Intake answers saved.').waitFor();
    const after = await must('GET', `/api/v1/clients/${onboardClient.id}/onboarding`);
    if (after.questions[0].answer !== 'Twice the online orders by June') throw new Error(JSON.stringify(after.questions));
  });
  await page.waitForTimeout(200);
  await shot(page, 'onboarding-client-1280');
  await axe(page, 'a client\'s onboarding');
  await check('a new template with steps and questions is saved', async () => {
    await page.getByRole('button', { name: 'New template' }).click();
    const dlg = page.getByRole('dialog', { name: 'New template' });
    await dlg.getByLabel('Name').fill('Light onboarding');
    await dlg.getByLabel('Step 1', { exact: true }).fill('Say hello');
    await dlg.getByRole('button', { name: 'Add question' }).click();
    await dlg.getByLabel('Question 1', { exact: true }).fill('Who signs off?');
    await dlg.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('Light onboarding').waitFor();
    const t = (await must('GET', '/api/v1/onboarding-templates?limit=100')).data.find((x) => x.name === 'Light onboarding');
    if (t?.steps[0].title !== 'Say hello' || t.questions[0] !== 'Who signs off?') throw new Error(JSON.stringify(t));
  });
  await check('a viewer sees the board and a project with no move, approve or new controls', async () => {
    const email = `viewer-pipeline-${Date.now()}@example.com`;
    await must('POST', '/api/v1/users', { email, role: 'viewer', password: 'viewer-pass-heron-7', name: 'Vic Viewer' });
    const vctx = await newContext(1280);
    const vpage = await vctx.newPage();
    await signIn(vpage, email, 'viewer-pass-heron-7');
    await vpage.goto(BASE + '/pipeline');
    await vpage.locator(`[data-deal="${keyDeal.id}"]`).waitFor();
    for (const name of [`Move ${keyDeal.title}`, 'New deal'])
      if (await vpage.getByRole('button', { name }).count()) throw new Error(`"${name}" shown to a viewer`);
    await vpage.goto(BASE + `/projects/${shown.id}`);
    await vpage.getByRole('heading', { name: 'Change requests' }).waitFor();
    for (const name of [/^Approve change/, 'Propose a change', 'Edit scope', 'Add deliverable'])
      if (await vpage.getByRole('button', { name }).count()) throw new Error(`"${name}" shown to a viewer`);
    await vctx.close();
  });
  ok((await cspViolations(page)).length === 0, 'no CSP violation through the pipeline, project and onboarding flows', (await cspViolations(page)).join('\n'));
  await ctx.close();
} catch (e) {
  if (e !== 'done') ok(false, 'the pipeline suite ran to its end', e && e.stack);
}
await finish(t0);
