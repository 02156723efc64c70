// A change request's effect on the project, before and after, as the API's rules will apply it on
// approval: the budget grows by its cost, the due date moves by its days (calendar days).

export function addMoney(a: string | null | undefined, b: string | number | null | undefined): string | null {
  if (a == null || a === '') return null;
  const cents = Math.round(Number(a) * 100) + Math.round(Number(b ?? 0) * 100);
  return (cents / 100).toFixed(2);
}

export function addDays(date: string | null | undefined, days: number): string | null {
  if (!date) return null;
  const d = new Date(date + 'T00:00:00Z');
  if (isNaN(d.getTime())) return date;
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
