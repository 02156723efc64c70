// app.mjs — the web app's browser tests for part 1 (run by run.sh, which starts the server and sets
// the env; the shared helpers are in lib.mjs). Each check prints "ok - ..." or "not ok - ..."; the last
// line is "web: N passed, N failed".
import {
  ok, check, apiCall, browser, newContext, cspViolations, axe, shot, signIn, shotsOnly, finish, BASE, OWNER_EMAIL,
} from './lib.mjs';

const t0 = Date.now();
try {
  // ---- screenshots and axe on every page, at 1280 and 375 px
  for (const width of [1280, 375]) {
    const ctx = await newContext(width);
    const page = await ctx.newPage();
    await page.goto(BASE + '/');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await shot(page, `signin-${width}`);
    if (width === 1280) await axe(page, 'the sign-in page');
    await signIn(page);
    await page.locator('section').first().waitFor();
    await shot(page, `today-${width}`);
    if (width === 1280) await axe(page, 'Today');
    await page.goto(BASE + '/clients');
    await page.getByRole('link', { name: 'Bluebell Bakery' }).waitFor();
    await shot(page, `clients-${width}`);
    if (width === 1280) await axe(page, 'Clients');
    await page.getByRole('button', { name: 'New client' }).click();
    await page.getByRole('dialog', { name: 'New client' }).getByLabel('Name').waitFor();
    await shot(page, `new-client-${width}`);
    if (width === 1280) await axe(page, 'the New client dialog');
    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await shot(page, `shortcuts-${width}`);
    if (width === 1280) await axe(page, 'the shortcuts');
    await page.keyboard.press('Escape');
    await page.getByRole('link', { name: 'Bluebell Bakery' }).click();
    await page.getByRole('heading', { name: 'Bluebell Bakery' }).waitFor();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await page.waitForTimeout(300);
    await shot(page, `client-${width}`);
    if (width === 1280) await axe(page, 'the client page');
    if (width === 1280) { // the dark theme, as a system set to dark gets it
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot(page, 'client-dark-1280');
      await axe(page, 'the client page in the dark theme');
      await page.emulateMedia({ colorScheme: 'light' });
    }
    await page.getByRole('button', { name: 'Log interaction' }).click();
    await page.getByRole('dialog', { name: 'Log interaction' }).waitFor();
    await shot(page, `log-interaction-${width}`);
    if (width === 1280) await axe(page, 'the Log interaction dialog');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+k');
    await page.getByRole('dialog', { name: 'Command palette' }).waitFor();
    await page.getByRole('combobox', { name: /Search records/ }).fill('harbor');
    await page.getByRole('option', { name: 'Harbor & Finch LLP' }).first().waitFor();
    await shot(page, `palette-${width}`);
    if (width === 1280) await axe(page, 'the command palette');
    await page.keyboard.press('Escape');
    if (width === 375) {
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).waitFor({ state: 'visible' });
      // the menu lists every page, those behind More at 1280 px too
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).waitFor({ state: 'visible' });
      await shot(page, `menu-${width}`);
      ok(true, 'at 375 px the navigation opens from the Menu button, every page in it');
    }
    if (width === 1280) {
      // twelve pages, one row: every item of the header shares its line
      const rows = await page.locator('header.top > *:visible, header.top nav > *:visible').evaluateAll(
        (els) => [...new Set(els.map((e) => Math.round(e.getBoundingClientRect().top / 20)))]);
      const height = await page.locator('header.top').evaluate((h) => h.getBoundingClientRect().height);
      ok(height < 70, `at 1280 px the header is one row (${Math.round(height)} px high; row bands ${rows})`);
      // More: a disclosure the keyboard opens, Escape closes back to its button
      const more = page.getByRole('button', { name: 'More' });
      await more.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoices' }).waitFor({ state: 'visible' });
      if ((await more.getAttribute('aria-expanded')) !== 'true') throw new Error('More does not say it is open');
      await shot(page, 'nav-more-1280');
      await axe(page, 'the navigation with More open');
      await page.keyboard.press('Escape');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoices' }).waitFor({ state: 'hidden' });
      if (!(await more.evaluate((b) => b === document.activeElement))) throw new Error('Escape did not return to More');
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter'); // the second page behind More: Feedback
      await page.waitForURL(/\/feedback$/);
      const current = page.getByRole('button', { name: 'More: Feedback' });
      await current.waitFor();
      ok(true, 'More opens by keyboard, Escape closes it, a page behind it opens and names the button');
    }
    ok((await cspViolations(page)).length === 0, `no CSP violation at ${width} px`, (await cspViolations(page)).join('\n'));
    await ctx.close();
  }
  if (shotsOnly) throw 'done';

  // ---- sign in: errors next to the field, then in
  const ctx = await newContext(1280);
  const page = await ctx.newPage();
  await check('a wrong password is answered next to the Password field', async () => {
    await page.goto(BASE + '/');
    await page.getByLabel('Email').fill(OWNER_EMAIL);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#signin-password-error').waitFor();
    const describedBy = await page.getByLabel('Password').getAttribute('aria-describedby');
    if (describedBy !== 'signin-password-error') throw new Error('the error is not tied to the field');
  });
  await check('sign in with email and password opens Today', () => signIn(page));

  // ---- find a client by typing
  await check('typing in the search finds a client, and the search is in the URL', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
    await page.getByRole('link', { name: 'Copperline Media' }).waitFor();
    await page.getByLabel('Search clients').pressSequentially('quarr', { delay: 30 });
    await page.waitForURL(/q=quarr/);
    await page.getByRole('link', { name: 'Quarry Labs' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('tbody tr:not(.pad)').length === 1, null, { timeout: 5000 })
      .catch(async () => { throw new Error(`${await page.locator('tbody tr:not(.pad)').count()} rows shown for "quarr"`); });
  });
  await check('a filter goes into the URL and a reload keeps it', async () => {
    await page.goto(BASE + '/clients');
    await page.getByLabel('Stage').selectOption('active');
    await page.waitForURL(/stage=active/);
    await page.reload();
    await page.getByRole('link', { name: 'Bluebell Bakery' }).waitFor();
    if ((await page.getByLabel('Stage').inputValue()) !== 'active') throw new Error('the filter was lost');
    if (await page.getByRole('link', { name: 'Quarry Labs' }).count()) throw new Error('a prospect is listed under active');
  });

  await check('the health band, a field the API added, is a column and a filter with no front-end change', async () => {
    await page.goto(BASE + '/clients');
    await page.getByRole('columnheader', { name: 'Health' }).waitFor();
    const banded = (await apiCall('GET', '/api/v1/clients?health_band=healthy&limit=1')).body.data[0];
    if (!banded) throw new Error('the demo has no healthy client yet');
    await page.getByLabel('Health band').selectOption('healthy');
    await page.waitForURL(/health_band=healthy/);
    await page.getByRole('link', { name: banded.name, exact: true }).waitFor(); // exact: the demo has "Juniper Architects Ltd" too
    const bands = await page.locator('tbody td.c-health_band').allInnerTexts();
    if (!bands.length || bands.some((b) => !b.startsWith('Healthy'))) throw new Error('bands shown: ' + bands.join(', '));
  });

  // ---- create a client, and open it
  const name = `Test Client ${Date.now() % 100000}`;
  await check('"New client" opens a form built from the entity; a missing name is named', async () => {
    await page.goto(BASE + '/clients');
    await page.getByRole('button', { name: 'New client' }).click();
    const dlg = page.getByRole('dialog', { name: 'New client' });
    await dlg.getByLabel('Stage').waitFor();
    for (const label of ['Kind', 'Owner', 'Email', 'Update cadence', 'Tags']) await dlg.getByLabel(label, { exact: true }).waitFor();
    await dlg.getByRole('button', { name: 'Create client' }).click();
    await dlg.locator('#new-client-name-error').waitFor();
  });
  await check('creating a client opens its page', async () => {
    const dlg = page.getByRole('dialog', { name: 'New client' });
    await dlg.getByLabel('Name').fill(name);
    await dlg.getByLabel('Email', { exact: true }).fill('hello@test-client.example');
    await dlg.getByRole('button', { name: 'Create client' }).click();
    await page.getByRole('heading', { name }).waitFor();
    await page.waitForURL(/\/clients\/cli_/);
  });
  const clientId = decodeURIComponent(page.url().split('/clients/')[1]);

  // ---- log a call with a summary and see it on the timeline
  await check('a call logged with its summary appears on the timeline', async () => {
    await page.getByRole('button', { name: 'Log a call' }).click();
    const dlg = page.getByRole('dialog', { name: 'Log interaction' });
    await dlg.getByLabel('Subject').fill('Kick-off call');
    await dlg.getByLabel('Summary').fill('Agreed the first milestone for March; they send the brand assets by Friday.');
    await dlg.getByRole('button', { name: 'Save interaction' }).click();
    await dlg.waitFor({ state: 'hidden' });
    await page.getByText('Agreed the first milestone for March').waitFor();
  });
  await check('"Log interaction" from the header with the client typeahead', async () => {
    await page.goto(BASE + '/today');
    await page.getByRole('button', { name: 'Log interaction' }).click();
    const dlg = page.getByRole('dialog', { name: 'Log interaction' });
    await dlg.getByRole('combobox', { name: 'Client' }).pressSequentially(name.slice(0, 9), { delay: 20 });
    await dlg.getByRole('option', { name }).click();
    await dlg.getByLabel('Type').selectOption('email');
    await dlg.getByLabel('Summary').fill('Sent the proposal.');
    await dlg.getByRole('button', { name: 'Save interaction' }).click();
    await dlg.waitFor({ state: 'hidden' });
    const r = await apiCall('GET', `/api/v1/interactions?client_id=${clientId}&type=email`);
    if (!r.body.data.some((i) => i.summary === 'Sent the proposal.')) throw new Error('not stored');
  });

  await check('nothing typed is lost: a Log interaction draft survives a network failure and a reload', async () => {
    await page.goto(BASE + '/today');
    await page.getByRole('heading', { name: /^Today/ }).waitFor();
    await page.getByRole('button', { name: 'Log interaction' }).click();
    let dlg = page.getByRole('dialog', { name: 'Log interaction' });
    await dlg.getByRole('combobox', { name: 'Client' }).pressSequentially(name.slice(0, 9), { delay: 20 });
    await dlg.getByRole('option', { name }).click();
    await dlg.getByLabel('Summary').fill('A draft that must survive.');
    // the network drops the save (the request never reaches the server)
    await page.route('**/api/v1/interactions', (route) => route.abort('internetdisconnected'), { times: 1 });
    await dlg.getByRole('button', { name: 'Save interaction' }).click();
    await dlg.getByRole('alert').filter({ hasText: 'could not be reached' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: /^Today/ }).waitFor();
    await page.getByRole('button', { name: 'Log interaction' }).click();
    dlg = page.getByRole('dialog', { name: 'Log interaction' });
    await dlg.getByLabel('Summary').waitFor();
    const summary = await dlg.getByLabel('Summary').inputValue();
    const client = await dlg.getByRole('combobox', { name: 'Client' }).inputValue();
    if (summary !== 'A draft that must survive.' || client !== name) throw new Error(`after reload: ${JSON.stringify({ summary, client })}`);
    await dlg.getByRole('button', { name: 'Save interaction' }).click();
    await dlg.waitFor({ state: 'hidden' });
    const r = await apiCall('GET', `/api/v1/interactions?client_id=${clientId}&limit=100`);
    if (!r.body.data.some((i) => i.summary === 'A draft that must survive.')) throw new Error('the draft was not saved');
  });

  await check('an unsaved edit of a client survives a reload', async () => {
    await page.goto(BASE + `/clients/${clientId}`);
    await page.getByRole('button', { name: 'Edit details' }).click();
    await page.locator('#edit-website').fill('https://kept.example');
    await page.reload();
    await page.getByRole('status').filter({ hasText: 'unsaved changes from before' }).waitFor();
    if ((await page.locator('#edit-website').inputValue()) !== 'https://kept.example') throw new Error('the edit was lost');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.reload();
    await page.getByRole('button', { name: 'Edit details' }).waitFor();
    if (await page.locator('#edit-website').count()) throw new Error('a cancelled edit came back');
  });

  // ---- edit in place; a version conflict shows what changed and applies mine again
  await check('an edit meets a version conflict, shows what the other person changed, and applies mine again', async () => {
    await page.goto(BASE + `/clients/${clientId}`);
    await page.getByRole('button', { name: 'Edit details' }).click();
    await page.locator('#edit-phone').fill('+44 20 7946 0000');
    const cur = await apiCall('GET', `/api/v1/clients/${clientId}`);
    const other = await apiCall('PATCH', `/api/v1/clients/${clientId}`, { email: 'changed@elsewhere.example', version: cur.body.version });
    if (other.status !== 200) throw new Error('the concurrent PATCH failed: ' + JSON.stringify(other.body));
    await page.getByRole('button', { name: 'Save changes' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Someone else changed this client' });
    await alert.waitFor();
    await alert.getByText('changed@elsewhere.example').waitFor();
    await shot(page, 'client-conflict-1280');
    await page.getByRole('button', { name: 'Apply my changes again' }).click();
    await alert.waitFor({ state: 'hidden' });
    const after = await apiCall('GET', `/api/v1/clients/${clientId}`);
    if (after.body.phone !== '+44 20 7946 0000' || after.body.email !== 'changed@elsewhere.example')
      throw new Error('stored: ' + JSON.stringify({ phone: after.body.phone, email: after.body.email }));
  });

  // ---- Today acts in one step
  await check('Today: an overdue task is marked done in one click', async () => {
    const me = (await apiCall('GET', '/api/v1/me')).body.user.id;
    const yesterday = new Date(Date.now() - 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const t = await apiCall('POST', '/api/v1/tasks', { title: 'Send the signed contract', due_at: yesterday, assignee_id: me, client_id: clientId });
    if (t.status !== 201) throw new Error('task: ' + JSON.stringify(t.body));
    await page.goto(BASE + '/today');
    await page.getByRole('button', { name: 'Mark done: Send the signed contract' }).click();
    await page.getByRole('button', { name: 'Mark done: Send the signed contract' }).waitFor({ state: 'detached' });
    const after = await apiCall('GET', `/api/v1/tasks/${t.body.id}`);
    if (after.body.status !== 'done') throw new Error('status ' + after.body.status);
  });
  await check('Today: a call without a summary gets its summary in one step', async () => {
    const c = await apiCall('POST', '/api/v1/interactions', { client_id: clientId, type: 'call', direction: 'inbound', subject: 'Quick question about invoices' });
    if (!c.body.needs_summary) throw new Error('the call is not flagged: ' + JSON.stringify(c.body));
    await page.goto(BASE + '/today');
    const box = page.getByLabel('Summary of Quick question about invoices');
    await box.fill('They asked for quarterly invoices; agreed from April.');
    await page.getByRole('button', { name: 'Save summary' }).first().click();
    await box.waitFor({ state: 'detached' });
    const after = await apiCall('GET', `/api/v1/interactions/${c.body.id}`);
    if (after.body.needs_summary || !after.body.summary) throw new Error(JSON.stringify(after.body));
  });

  // ---- contacts and custom fields come from the API's descriptions
  await check('a contact is added on the client page', async () => {
    await page.goto(BASE + `/clients/${clientId}`);
    await page.getByRole('button', { name: 'Add contact' }).click();
    const dlg = page.getByRole('dialog', { name: 'Add contact' });
    await dlg.getByLabel('First name').fill('Ada');
    await dlg.getByLabel('Last name').fill('Byron');
    await dlg.getByLabel('Email', { exact: true }).fill('ada@test-client.example');
    await dlg.getByRole('button', { name: 'Add contact' }).click();
    await dlg.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Edit Ada Byron' }).waitFor();
  });
  // ---- email: the settings page turns it on; a call's summary goes to the client's contact by one button
  await check('email is set up in Settings, then a call\'s summary is emailed from the timeline', async () => {
    await page.goto(BASE + '/settings?section=email');
    await page.getByLabel('Mail server (SMTP URL)').fill('smtp://127.0.0.1:9?tls=none');
    await page.getByLabel('Sender address').fill('firm@test-client.example');
    await page.getByRole('button', { name: 'Save email settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const st = await apiCall('GET', '/api/v1/settings/email');
    if (!st.body.email_enabled || st.body.mail_from !== 'firm@test-client.example') throw new Error(JSON.stringify(st.body));
    await axe(page, 'email settings');
    await shot(page, 'settings-email');
    await page.goto(BASE + `/clients/${clientId}`);
    await page.getByRole('button', { name: 'Email the summary to the client' }).first().click();
    await page.getByText(/Follow-up queued to .*ada@test-client\.example/).waitFor();
    const out = await apiCall('GET', '/api/v1/outbox');
    if (!(out.body.data ?? []).some((m) => JSON.stringify(m).includes('ada@test-client.example'))) throw new Error('nothing in the outbox');
  });
  await check('a custom field added through the API appears in the New client form', async () => {
    const f = await apiCall('POST', '/api/v1/custom-fields', { entity: 'clients', key: 'industry', label: 'Industry', type: 'select', options: ['retail', 'legal'] });
    if (f.status !== 201) throw new Error('custom field: ' + JSON.stringify(f.body));
    await page.goto(BASE + '/clients');
    await page.getByRole('button', { name: 'New client' }).click();
    const dlg = page.getByRole('dialog', { name: 'New client' });
    await dlg.getByLabel('Industry').selectOption('legal');
    await dlg.getByLabel('Name').fill('Custom Field Co');
    await dlg.getByRole('button', { name: 'Create client' }).click();
    await page.getByRole('heading', { name: 'Custom Field Co' }).waitFor();
    const id = decodeURIComponent(page.url().split('/clients/')[1]);
    const rec = await apiCall('GET', `/api/v1/clients/${id}`);
    if (rec.body.custom?.industry !== 'legal') throw new Error(JSON.stringify(rec.body.custom));
    await axe(page, 'a client with a custom field');
  });
  await check('the clients list filters by a custom field, the filter in the URL', async () => {
    await page.goto(BASE + '/clients');
    await page.getByLabel('Industry', { exact: true }).selectOption('legal');
    await page.waitForURL(/custom\.industry=legal/);
    await page.getByRole('link', { name: 'Custom Field Co' }).waitFor();
    // the unfiltered list held Custom Field Co too: wait for the filtered one to replace it
    await page.getByRole('link', { name: 'Bluebell Bakery' }).waitFor({ state: 'detached', timeout: 5000 })
      .catch(() => { throw new Error('an unfiltered client is listed'); });
  });

  // ---- the palette
  await check('Ctrl-K finds a record by name and opens it', async () => {
    await page.goto(BASE + '/today');
    await page.getByRole('heading', { name: /^Today/ }).waitFor();
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: /Search records/ }).fill('bluebell');
    await page.getByRole('option', { name: 'Bluebell Bakery' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Bluebell Bakery' }).waitFor();
  });
  await check('the palette runs an action: "Log a call for …"', async () => {
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: /Search records/ }).fill('quarry');
    await page.getByRole('option', { name: 'Log a call for Quarry Labs' }).click();
    const dlg = page.getByRole('dialog', { name: 'Log interaction' });
    await dlg.waitFor();
    if ((await dlg.getByRole('combobox', { name: 'Client' }).inputValue()) !== 'Quarry Labs') throw new Error('the client is not filled in');
    await page.keyboard.press('Escape');
  });
  await check('? lists the keyboard shortcuts', async () => {
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
  });

  // ---- stored markup stays text
  await check('a stored <script> and onerror stay inert text', async () => {
    const evil = await apiCall('POST', '/api/v1/clients', {
      name: '<img src=x onerror="window.__xss=1">Evil & Co',
      notes: '<script>window.__xss=2</script><b>bold?</b>',
      tags: ['<svg onload=window.__xss=3>'],
    });
    if (evil.status !== 201) throw new Error('create failed: ' + JSON.stringify(evil.body));
    await apiCall('POST', '/api/v1/interactions', { client_id: evil.body.id, type: 'note', summary: '<script>window.__xss=4</script>' });
    await page.goto(BASE + '/clients?q=Evil');
    await page.getByRole('link', { name: /Evil & Co/ }).click();
    await page.getByText('<script>window.__xss=2</script><b>bold?</b>').waitFor();
    await page.getByText('<script>window.__xss=4</script>').waitFor();
    await page.waitForTimeout(300);
    const xss = await page.evaluate(() => window.__xss);
    const imgs = await page.locator('main img, main script, main svg[onload]').count();
    if (xss !== undefined || imgs) throw new Error(`markup ran: __xss=${xss}, elements=${imgs}`);
  });
  ok((await cspViolations(page)).length === 0, 'no CSP violation through the owner\'s session', (await cspViolations(page)).join('\n'));
  await ctx.close();

  // ---- a viewer sees no edit controls, and the API refuses anyway
  const viewerPassword = 'viewer-pass-horse-3';
  const made = await apiCall('POST', '/api/v1/users', { email: 'viewer@example.com', role: 'viewer', password: viewerPassword, name: 'Vera Viewer' });
  ok(made.status === 201, 'a viewer is added through the API', JSON.stringify(made.body));
  const vctx = await newContext(1280);
  const vpage = await vctx.newPage();
  await check('a viewer signs in and sees no edit controls', async () => {
    await signIn(vpage, 'viewer@example.com', viewerPassword);
    await vpage.goto(BASE + '/clients');
    await vpage.getByRole('link', { name: 'Bluebell Bakery' }).waitFor();
    if (await vpage.getByRole('button', { name: 'New client' }).count()) throw new Error('"New client" shown');
    await vpage.getByRole('link', { name: 'Bluebell Bakery' }).click();
    await vpage.getByRole('heading', { name: 'Details' }).waitFor();
    for (const label of ['Edit details', 'Add contact', 'Log a call'])
      if (await vpage.getByRole('button', { name: label }).count()) throw new Error(`"${label}" shown to a viewer`);
    if (await vpage.locator('#stage-select').count()) throw new Error('the stage can be changed');
  });
  await check('the API refuses a viewer\'s edit with its cookie (403)', async () => {
    const status = await vpage.evaluate(async (base) => {
      const list = await (await fetch(base + '/api/v1/clients?limit=1')).json();
      const c = list.data[0];
      const r = await fetch(base + `/api/v1/clients/${c.id}`, {
        method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Hijacked', version: c.version }),
      });
      return r.status;
    }, BASE);
    if (status !== 403) throw new Error(`status ${status}`);
  });
  await check('signing out returns to the sign-in form', async () => {
    await vpage.getByRole('button', { name: 'Sign out' }).click();
    await vpage.getByRole('button', { name: 'Sign in' }).waitFor();
    const me = await vpage.evaluate(async (base) => (await fetch(base + '/api/v1/me')).status, BASE);
    if (me !== 401) throw new Error(`/me after sign-out: ${me}`);
  });
  ok((await cspViolations(vpage)).length === 0, 'no CSP violation through the viewer\'s session', (await cspViolations(vpage)).join('\n'));
  await vctx.close();
} catch (e) {
  if (e !== 'done') ok(false, 'the browser suite ran to its end', e && e.stack);
}
await finish(t0);
