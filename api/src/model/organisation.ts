export const ORG_KINDS = ['gemeente', 'netbeheerder', 'drinkwaterbedrijf', 'waterschap', 'telecom', 'overig'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/** Organisation kind from a KLIC bronhoudercode: GM = gemeente, WS = waterschap, KL = network operator (refined by name). */
export function orgKindFromBronhoudercode(code: string, name: string): OrgKind {
  if (code.startsWith('GM')) return 'gemeente';
  if (code.startsWith('WS')) return 'waterschap';
  const n = name.toLowerCase();
  if (/\b(wml|vitens|evides|brabant water|dunea|waternet|pwn|oasen|wmd|waterbedrijf)\b/.test(n)) return 'drinkwaterbedrijf';
  if (/\b(kpn|ziggo|eurofiber|glasvezel|relined|tele2|t-mobile|vodafone)\b/.test(n)) return 'telecom';
  if (code.startsWith('KL')) return 'netbeheerder';
  return 'overig';
}
