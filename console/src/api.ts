// Same-origin calls to the management API with the session cookie (issue 17): the console has no
// API of its own besides ORG/admin/api/session. Unsafe methods carry the session's CSRF token.

// The org's URL path: everything before /admin/ ('' for the first org, '/o/acme' for others).
export const ORG_PATH = location.pathname.replace(/\/admin(\/.*)?$/, '');
export const ORG_URL = location.origin + ORG_PATH;

export interface Me {
  user: { id: string; login: string; firstName: string | null; lastName: string | null };
  roles: string[];
  permissions: string[];
  superAdmin: boolean;
  csrfToken: string;
  orgUrl: string;
  orgName: string;
  expiresAt: string;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public body: any,
  ) {
    super(body?.errorSummary ?? `HTTP ${status}`);
  }
  get causes(): string[] {
    return (this.body?.errorCauses ?? []).map((c: any) => c.errorSummary);
  }
}

let csrf = '';
let onSignedOut: () => void = () => {};
export function setSession(token: string, signedOut: () => void) {
  csrf = token;
  onSignedOut = signedOut;
}

export async function call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrf;
  const res = await fetch(ORG_PATH + path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (res.status === 401 && !path.startsWith('/admin/api/session')) onSignedOut();
  if (!res.ok) throw new ApiError(res.status, data);
  return data as T;
}

// A multipart upload (the integration logo): the browser sets the boundary.
export async function upload<T = any>(path: string, form: FormData): Promise<T> {
  const res = await fetch(ORG_PATH + path, {
    method: 'POST',
    headers: { Accept: 'application/json', 'X-CSRF-Token': csrf },
    credentials: 'same-origin',
    body: form,
  });
  const data = await res.json().catch(() => null);
  if (res.status === 401) onSignedOut();
  if (!res.ok) throw new ApiError(res.status, data);
  return data as T;
}

// GET with the Link rel="next" URL of the page, for paging. `background`: a poll the console
// makes by itself (live tail), which must not keep the session from timing out when idle.
export async function page<T = any>(path: string, background = false): Promise<{ items: T[]; next: string | null }> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (background) headers['X-Gatehouse-Background'] = '1';
  const res = await fetch(path.startsWith('http') ? path : ORG_PATH + path, {
    headers,
    credentials: 'same-origin',
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (res.status === 401) onSignedOut();
  if (!res.ok) throw new ApiError(res.status, data);
  const link = res.headers.get('Link') ?? '';
  const m = /<([^>]+)>;\s*rel="next"/.exec(link);
  return { items: data as T[], next: m ? m[1] : null };
}

export const signIn = (login: string, password: string) =>
  call<{ csrfToken: string }>('POST', '/admin/api/session', { login, password });
export const whoAmI = () => call<Me>('GET', '/admin/api/session');
export const signOut = () => call('DELETE', '/admin/api/session');

export function can(me: Me, permission: string): boolean {
  if (me.permissions.includes(permission)) return true;
  // manage implies read
  return permission.endsWith('.read') && me.permissions.includes(permission.replace(/\.read$/, '.manage'));
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}
