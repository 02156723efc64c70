// The workspace's users, loaded once per page load: owners are shown by name and offered in filters.
import { api } from '../api/client';
import type { Rec } from '../ui/records';

let cache: Promise<Rec[]> | null = null;
export function users(): Promise<Rec[]> {
  cache ??= api<{ data: Rec[] }>('GET', '/api/v1/users?limit=500').then((r) => r.data).catch(() => []);
  return cache;
}
export function userName(list: Rec[], id: string | null | undefined): string {
  if (!id) return '';
  const u = list.find((x) => x.id === id);
  return u ? u.name || u.email : '';
}
