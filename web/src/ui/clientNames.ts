// Client names for records that carry only client_id (deals, projects, tickets, feedback, invoices):
// the ids a page names are asked for together, in one request per batch (GET /api/v1/clients?id=a,b,c),
// and each name is kept for the page load, shared by every list that shows it.
import { api, qs } from '../api/client';
import type { Rec } from './records';

const MAX_IDS = 100; // the API takes 500; 100 keeps the address short
const cache = new Map<string, Promise<string>>();
let pending = new Map<string, (name: string) => void>();
let scheduled = false;

// every id asked for in the same turn goes in one request (a page's rows arrive together)
function flush() {
  scheduled = false;
  const batch = pending;
  pending = new Map();
  const ids = [...batch.keys()];
  for (let i = 0; i < ids.length; i += MAX_IDS) {
    const some = ids.slice(i, i + MAX_IDS);
    api<{ data: Rec[] }>('GET', '/api/v1/clients' + qs({ id: some.join(','), limit: some.length }))
      .then((r) => {
        const found = new Map(r.data.map((c) => [c.id, c.name as string]));
        for (const id of some) batch.get(id)!(found.get(id) ?? '');
      })
      .catch(() => { for (const id of some) batch.get(id)!(''); });
  }
}

export function clientName(id: string | null | undefined): Promise<string> {
  if (!id) return Promise.resolve('');
  let p = cache.get(id);
  if (!p) {
    p = new Promise<string>((resolve) => pending.set(id, resolve));
    cache.set(id, p);
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(flush);
    }
  }
  return p;
}

/** Fills names[id] for every client the records name (a $state object, so the page redraws). */
export function loadClientNames(records: Rec[], names: Record<string, string>) {
  for (const r of records) {
    const id = r.client_id as string | undefined;
    if (id && !(id in names)) {
      names[id] = '';
      clientName(id).then((n) => (names[id] = n));
    }
  }
}
