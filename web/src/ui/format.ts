// Dates, numbers and money through Intl, in the workspace's locale (its `locale` when the API has one,
// else the browser's) and its currency.
import { session } from '../app/session.svelte';

function locale(): string | undefined {
  const ws = session.me?.workspace as { locale?: string } | undefined;
  return ws?.locale || undefined;
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? iso + 'T00:00:00' : iso);
  if (isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(locale(), { year: 'numeric', month: 'short', day: 'numeric' });
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale(), { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function fmtRelative(iso: string | null | undefined): string {
  if (!iso) return '';
  const days = Math.round((new Date(iso).getTime() - Date.now()) / 86400000);
  const rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  if (Math.abs(days) < 1) {
    const hours = Math.round((new Date(iso).getTime() - Date.now()) / 3600000);
    return rtf.format(hours, 'hour');
  }
  if (Math.abs(days) < 45) return rtf.format(days, 'day');
  return rtf.format(Math.round(days / 30), 'month');
}

export function fmtNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined) return '';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n);
}

export function fmtMoney(amount: string | number | null | undefined, currency?: string | null): string {
  if (amount === null || amount === undefined || amount === '') return '';
  const cur = currency || session.me?.workspace.currency || 'EUR';
  try {
    return new Intl.NumberFormat(locale(), { style: 'currency', currency: cur }).format(Number(amount));
  } catch {
    return `${amount} ${cur}`;
  }
}

/** ISO time → the value of an <input type="datetime-local"> in local time. */
export function toLocalInput(iso: string | null | undefined): string {
  const d = iso ? new Date(iso) : new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(v: string): string | null {
  if (!v) return null;
  const d = new Date(v);
  return isNaN(d.getTime()) ? null : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
