// import.mjs — browser tests of the import page's saved mappings and custom fields (issue 19 §1): a file
// whose columns a saved mapping was made for gets it chosen at once (and the dry run says so); a mapping
// is saved from the page and offered for the next file like it; a column without a field is made a
// custom field with a checkbox and then receives the values; a member is not offered that. Seeds its own
// records through the API, so it runs whatever ran before it on the same server.
import { ok, check, apiCall, newContext, cspViolations, axe, shot, signIn, shotsOnly, finish, BASE } from './lib.mjs';

const t0 = Date.now();
const CSV = 'Company,Contact email,Shoe size,Fax\n' +
  'Osprey Optics,hello@osprey.example,42,+44 20 7946 0100\n' +
  'Pelican Print,,39,\n';
const header = ['Company', 'Contact email', 'Shoe size', 'Fax'];
const saved = await apiCall('POST', '/api/v1/import-mappings', {
  entity: 'clients', name: 'Bird sheet', mapping: { Company: 'name', 'Contact email': 'email', Fax: '' }, columns: header,
});
ok(saved.status === 201, 'a saved mapping for these columns is made through the API', JSON.stringify(saved.body));
await apiCall('POST', '/api/v1/import-mappings', {
  entity: 'clients', name: 'Something else', mapping: { Naam: 'name' }, columns: ['Naam', 'Stad'],
});

async function chooseFile(page, name, text) {
  await page.goto(BASE + '/import');
  await page.getByLabel('Import', { exact: true }).selectOption('clients');
  await page.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

try {
  const ctx = await newContext(1280);
  const page = await ctx.newPage();
  await signIn(page);
  await chooseFile(page, 'birds.csv', CSV);
  await page.getByText('Mapping used: the saved mapping “Bird sheet”').waitFor();
  await shot(page, 'import-saved-mapping-1280');
  if (shotsOnly) throw 'done';
  await axe(page, 'the Import page with a saved mapping and columns without a field');

  await check('the saved mapping made for the file\'s columns is chosen at once, and the dry run says so', async () => {
    const select = page.getByLabel('Saved mapping');
    if ((await select.inputValue()) !== saved.body.id) throw new Error('not chosen: ' + (await select.inputValue()));
    const fitting = await select.locator('optgroup[label="Fits this file"] option').allInnerTexts();
    if (fitting.join() !== 'Bird sheet') throw new Error('fitting: ' + fitting.join());
    await page.getByText('All 2 rows are valid').waitFor();
    const row = page.getByRole('row', { name: /Contact email/ });
    if (!/email/.test(await row.locator('td').nth(2).innerText())) throw new Error('Contact email does not go to email');
  });

  await check('a column without a field becomes a custom field with a checkbox, and gets the values', async () => {
    const box = page.getByRole('checkbox', { name: /Make “Shoe size” a custom field/ });
    if (!/shoe_size, number/.test(await page.getByText(/Make “Shoe size” a custom field/).innerText())) throw new Error('no suggestion');
    await box.check();
    await page.getByRole('row', { name: /Shoe size/ }).getByText('custom.shoe_size (a new custom field, number)').waitFor();
    await page.getByRole('button', { name: /^Import 2 clients/ }).click();
    await page.getByText(/^Imported 2/).waitFor();
    const fields = (await apiCall('GET', '/api/v1/custom-fields?entity=clients&limit=100')).body.data;
    const f = fields.find((x) => x.key === 'shoe_size');
    if (!f || f.type !== 'number') throw new Error(JSON.stringify(fields));
    const r = (await apiCall('GET', '/api/v1/clients?q=Osprey&limit=5')).body.data.find((c) => c.name === 'Osprey Optics');
    if (!r || r.email !== 'hello@osprey.example' || r.custom?.shoe_size !== 42) throw new Error(JSON.stringify(r));
    if (/Fax/.test(r.notes ?? '')) throw new Error('the saved mapping left Fax out, yet it is in the notes');
  });

  await check('a column can be sent to an existing custom field by hand', async () => {
    await chooseFile(page, 'birds3.csv', 'Name,Size (EU)\nStork Shoes,45\n');
    await page.getByLabel('Where “Size (EU)” goes').selectOption('custom.shoe_size');
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByRole('row', { name: /Size \(EU\)/ }).getByText('custom.shoe_size (custom field)').waitFor();
  });

  await check('save this mapping, and the next file with the same columns is offered it', async () => {
    const other = 'Naam,Stad\nUil Uitgevers,Utrecht\n';
    await chooseFile(page, 'dutch.csv', other);
    await page.getByText(/^All 1 rows are valid/).waitFor();
    if ((await page.getByLabel('Saved mapping').inputValue()) !== (await apiCall('GET', '/api/v1/import-mappings?entity=clients&limit=100')).body.data.find((m) => m.name === 'Something else').id)
      throw new Error('the one mapping made for Naam was not chosen');
    await page.getByLabel('Where “Stad” goes').selectOption('notes');
    await page.getByRole('button', { name: 'Check again' }).click();
    await page.getByText('Mapping used: the saved mapping “Something else”, with your choices.').waitFor();
    await page.getByLabel('Save this mapping as').fill('Dutch sheet');
    await page.getByRole('button', { name: 'Save this mapping' }).click();
    await page.getByText('Saved as “Dutch sheet”.').waitFor();
    const m = (await apiCall('GET', '/api/v1/import-mappings?entity=clients&limit=100')).body.data.find((x) => x.name === 'Dutch sheet');
    if (!m || m.mapping.Naam !== 'name' || m.mapping.Stad !== 'notes' || m.columns.join() !== 'Naam,Stad') throw new Error(JSON.stringify(m));
    await chooseFile(page, 'dutch-again.csv', 'Stad,Naam\nDelft,Duif Design\n');
    await page.getByText(/Mapping used: none saved/).waitFor(); // two mappings fit: neither is chosen for you
    const fitting = await page.getByLabel('Saved mapping').locator('optgroup[label="Fits this file"] option').allInnerTexts();
    if (fitting.sort().join() !== 'Dutch sheet,Something else') throw new Error('fitting: ' + fitting.join());
    await page.getByLabel('Saved mapping').selectOption({ label: 'Dutch sheet' });
    await page.getByText('Mapping used: the saved mapping “Dutch sheet”').waitFor();
  });
  ok((await cspViolations(page)).length === 0, 'no CSP violation on the import page', (await cspViolations(page)).join('\n'));
  await ctx.close();

  const member = await apiCall('POST', '/api/v1/users', { email: 'import-member@example.com', role: 'member', password: 'member-pass-heron-3', name: 'Mo Member' });
  ok(member.status === 201, 'a member is added through the API', JSON.stringify(member.body));
  const mctx = await newContext(1280);
  const mpage = await mctx.newPage();
  await check('a member sees the columns without a field but is not offered to make custom fields', async () => {
    await signIn(mpage, 'import-member@example.com', 'member-pass-heron-3');
    await chooseFile(mpage, 'birds2.csv', 'Name,Hat size\nHeron Hats,7\n');
    await mpage.getByText('An admin can make custom fields of them.').waitFor();
    if (!(await mpage.getByRole('checkbox', { name: /Make “Hat size” a custom field/ }).isDisabled())) throw new Error('offered to a member');
  });
  await mctx.close();
} catch (e) {
  if (e !== 'done') ok(false, 'the import browser module ran to its end', e && e.stack);
}
await finish(t0);
