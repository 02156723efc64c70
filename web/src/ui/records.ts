// Small helpers over records of any entity: a title to show, a link to open.

export type Rec = Record<string, any> & { id: string; version?: number };

export function titleOf(r: Rec | null | undefined): string {
  if (!r) return '';
  if (r.name) return r.name;
  // a contact's title is their job title: their name comes first
  if (r.first_name || r.last_name) return [r.first_name, r.last_name].filter(Boolean).join(' ');
  if (r.title) return r.title;
  if (r.subject) return r.subject;
  if (r.number) return r.number;
  if (r.email) return r.email;
  if (r.id?.startsWith('fb_')) return feedbackTitle(r);
  return r.id;
}

const FEEDBACK_KINDS: Record<string, string> = { csat: 'CSAT', nps: 'NPS', pulse: 'Pulse', debrief: 'Debrief' };

/** Feedback has no name of its own: its kind and score on the kind's scale ("NPS 4", "CSAT 2/5"), as
 *  the server titles it on a client's timeline (the feedback entity's title_sql). */
export function feedbackTitle(r: Rec): string {
  const kind = FEEDBACK_KINDS[r.kind] ?? r.kind ?? 'Feedback';
  if (r.score == null) return kind;
  return `${kind} ${r.score}${r.kind === 'nps' ? '' : '/5'}`;
}

export function clientHref(id: string) {
  return `/clients/${encodeURIComponent(id)}`;
}

/** A draft kept in this browser until it is saved, so a failed request or a reload loses nothing. */
export const drafts = {
  load<T>(key: string): T | null {
    try {
      const s = localStorage.getItem('rapport-draft:' + key);
      return s ? (JSON.parse(s) as T) : null;
    } catch {
      return null;
    }
  },
  save(key: string, value: unknown) {
    try {
      localStorage.setItem('rapport-draft:' + key, JSON.stringify(value));
    } catch {
      /* storage full or off: the form still works */
    }
  },
  clear(key: string) {
    try {
      localStorage.removeItem('rapport-draft:' + key);
    } catch {
      /* ignore */
    }
  },
};
