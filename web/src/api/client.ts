// The one way the app talks to the server: same-origin fetches with the session cookie, JSON both ways
// (the API refuses cookie writes that are not application/json, which keeps other sites out), and the
// API's error shape turned into an ApiError that names its field.

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field: string | null = null,
    public body: unknown = null,
  ) {
    super(message);
  }
  get network() {
    return this.status === 0;
  }
}

type Listener = () => void;
const onUnauthorized: Listener[] = [];
/** Called when a request finds the session gone (401), so the app shows the sign-in form. */
export function whenSignedOut(fn: Listener) {
  onUnauthorized.push(fn);
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  };
  if (method !== 'GET') {
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    if (body !== undefined) init.body = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached. Your changes are kept; try again.');
  }
  if (res.status === 204) return undefined as T;
  let data: any = null;
  const text = await res.text();
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = data?.error ?? {};
    if (res.status === 401 && !path.endsWith('/login')) onUnauthorized.forEach((fn) => fn());
    throw new ApiError(res.status, e.code ?? 'http_' + res.status, e.message ?? res.statusText, e.field ?? null, data);
  }
  return data as T;
}

/** A query string from an object, leaving out empty values. */
export function qs(params: Record<string, string | number | null | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? '?' + s : '';
}
