// The URL is the app's state: the page, and on lists their filters and sort. Links are plain <a href>;
// a click on one stays in the app (history.pushState) instead of loading the page again.

export const route = $state({ path: location.pathname, search: location.search });

export function navigate(url: string, replace = false) {
  if (url === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  route.path = location.pathname;
  route.search = location.search;
}

export function params(): URLSearchParams {
  return new URLSearchParams(route.search);
}

/** Sets query parameters on the current page (empty values removed), replacing the history entry. */
export function setParams(changes: Record<string, string | null | undefined>) {
  const p = params();
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') p.delete(k);
    else p.set(k, v);
  }
  const s = p.toString();
  navigate(route.path + (s ? '?' + s : ''), true);
}

addEventListener('popstate', () => {
  route.path = location.pathname;
  route.search = location.search;
});

document.addEventListener('click', (ev) => {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = (ev.target as Element | null)?.closest?.('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  ev.preventDefault();
  navigate(url.pathname + url.search);
  window.scrollTo(0, 0);
});
