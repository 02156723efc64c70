// Client names for records that carry only client_id (deals, projects): each client read once per page
// load, shared by every list that shows it, so a board of fifty deals of five clients asks five times.
import { api } from '../api/client';
import type { Rec } from './records';

const cache = new Map<string, Promise<string>>();

export function clientName(id: string | null | undefined): Promise<string> {
  if (!id) return Promise.resolve('');
  let p = cache.get(id);
  if (!p) {
    p = api<Rec>('GET', `/api/v1/clients/${encodeURIComponent(id)}`)
      .then((c) => c.name as string)
      .catch(() => '');
    cache.set(id, p);
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
