// What moving a deal to a column asks of the API: a stage column changes its stage; "Won" and "Lost"
// change its status (the API's rules then make a won deal's client active, and refuse a lost deal
// without its reason). One function so the pointer and the keyboard paths send the same request.
import { api } from '../api/client';
import type { Rec } from '../ui/records';

export const WON = '#won';
export const LOST = '#lost';

export function moveBody(deal: Rec, target: string, reason = ''): Record<string, unknown> | null {
  if (target === WON) return deal.status === 'won' ? null : { status: 'won', version: deal.version };
  if (target === LOST) return { status: 'lost', lost_reason: reason, version: deal.version };
  if (deal.stage === target && deal.status === 'open') return null;
  const body: Record<string, unknown> = { stage: target, version: deal.version };
  if (deal.status !== 'open') body.status = 'open'; // back into the pipeline: the API says whether it may
  return body;
}

export async function moveDeal(deal: Rec, target: string, reason = ''): Promise<Rec | null> {
  const body = moveBody(deal, target, reason);
  if (!body) return null;
  return api<Rec>('PATCH', `/api/v1/deals/${encodeURIComponent(deal.id)}`, body);
}
