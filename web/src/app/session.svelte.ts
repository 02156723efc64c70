// Who is signed in, in which workspace, and what their role lets them do.
import { api, whenSignedOut } from '../api/client';
import type { Users, Workspaces } from '../api/types.gen';

type Me = { user: Users & { id: string }; workspace: Workspaces & { id: string } };

export const session = $state<{ me: Me | null; checked: boolean }>({ me: null, checked: false });

export function canWrite(): boolean {
  const role = session.me?.user.role;
  return role === 'member' || role === 'admin' || role === 'owner';
}

export async function loadSession() {
  try {
    session.me = await api<Me>('GET', '/api/v1/me');
  } catch {
    session.me = null;
  }
  session.checked = true;
}

export async function signIn(email: string, password: string) {
  session.me = await api<Me>('POST', '/api/v1/login', { email, password });
}

export async function signOut() {
  try {
    await api('POST', '/api/v1/logout');
  } finally {
    session.me = null;
  }
}

whenSignedOut(() => {
  session.me = null;
});
