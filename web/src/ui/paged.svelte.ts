// A list page's records from the API's cursor pages: load() asks for the first page again (a new
// filter or sort), more() for the next one; a slower answer to an older query never replaces a newer
// one, and the clients the records name are looked up together (clientNames.ts) into `names`.
import { api } from '../api/client';
import type { Rec } from './records';
import { loadClientNames } from './clientNames';

export class Paged {
  rows = $state<Rec[]>([]);
  cursor = $state<string | null>(null);
  loading = $state(true);
  error = $state('');
  names = $state<Record<string, string>>({});
  #seq = 0;

  /** url(cursor) is the page's address: the cursor is '' for the first page. */
  constructor(private url: (cursor: string) => string) {}

  async load(more = false) {
    const mine = ++this.#seq;
    this.loading = true;
    try {
      const page = await api<{ data: Rec[]; next_cursor: string | null }>('GET', this.url(more ? this.cursor ?? '' : ''));
      if (mine !== this.#seq) return;
      this.rows = more ? [...this.rows, ...page.data] : page.data;
      this.cursor = page.next_cursor;
      loadClientNames(page.data, this.names);
      this.error = '';
    } catch (e) {
      if (mine === this.#seq) this.error = (e as Error).message;
    } finally {
      if (mine === this.#seq) this.loading = false;
    }
  }

  more() { return this.load(true); }

  /** Replaces one record in place (after an action on it). */
  update(rec: Rec) { this.rows = this.rows.map((r) => (r.id === rec.id ? { ...r, ...rec } : r)); }
}
