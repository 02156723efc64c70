// What puts a client at risk, in words: its red flags first, then the factors that cost it the most
// points. A red flag is usually one of those factors too, with the same evidence, so each sentence is
// said once.
type Reason = { evidence?: string; rule?: string; factor?: string };

export function riskReasons(c: { red_flags?: Reason[]; reasons?: Reason[] }, max = 3): string[] {
  const out: string[] = [];
  for (const r of [...(c.red_flags ?? []), ...(c.reasons ?? [])]) {
    const text = r.evidence ?? r.rule ?? r.factor;
    if (text && !out.includes(text)) out.push(text);
  }
  return out.slice(0, max);
}
