// The pages, each its own bundle, and which one a path shows. App.svelte starts loading the current
// path's bundle while it asks who is signed in, so the two requests overlap instead of following
// each other.
export const pages: Record<string, () => Promise<{ default: any }>> = {
  today: () => import('../today/Today.svelte'),
  clients: () => import('../clients/ClientList.svelte'),
  client: () => import('../clients/ClientPage.svelte'),
  // web2a: pipeline, projects, onboarding
  pipeline: () => import('../pipeline/Pipeline.svelte'),
  projects: () => import('../projects/ProjectList.svelte'),
  project: () => import('../projects/ProjectPage.svelte'),
  onboarding: () => import('../onboarding/Onboarding.svelte'),
  // web2b: service, revenue, reports, import
  tickets: () => import('../service/Tickets.svelte'),
  feedback: () => import('../service/Feedback.svelte'),
  invoices: () => import('../revenue/Invoices.svelte'),
  reports: () => import('../reports/Reports.svelte'),
  import: () => import('../import/Import.svelte'),
  // web2c: settings, duplicates
  settings: () => import('../settings/Settings.svelte'),
  duplicates: () => import('../duplicates/Duplicates.svelte'),
};

// pages at a path of their own word: /tickets, /feedback, ...
const plain = ['tickets', 'feedback', 'invoices', 'reports', 'import'];

export function pageFor(path: string): { page: string; id: string } {
  const p = path.replace(/\/+$/, '') || '/';
  if (p === '/' || p === '/today') return { page: 'today', id: '' };
  if (p === '/clients') return { page: 'clients', id: '' };
  if (plain.includes(p.slice(1))) return { page: p.slice(1), id: '' };
  const m = p.match(/^\/clients\/([^/]+)$/);
  if (m) return { page: 'client', id: decodeURIComponent(m[1]) };
  if (p === '/pipeline' || p === '/projects' || p === '/onboarding') return { page: p.slice(1), id: '' };
  const pm = p.match(/^\/projects\/([^/]+)$/);
  if (pm) return { page: 'project', id: decodeURIComponent(pm[1]) };
  if (p === '/settings' || p === '/duplicates') return { page: p.slice(1), id: '' };
  return { page: 'missing', id: '' };
}

export function preload(path: string) {
  pages[pageFor(path).page]?.().catch(() => {});
}
