/**
 * The FICTIONAL planning of the demo area: which works, by whom, when. Pure: the routes come from
 * `generate-planning.ts`, which walks the real KLIC networks. Nothing here is a real plan of
 * gemeente Maasgouw, WML, Enexis or KPN.
 *
 * Every scenario is built so that one finding type of issue 6 occurs for a reason a planner would
 * recognise (the analysis itself decides; the integration test checks that each type occurs):
 *  - werk-met-werk: an asbestos-cement water main, the sewer and the LV route in the same street
 *    within a year of each other (combine, and a bundle of three);
 *  - botsing: an MV reinforcement and asphalt maintenance (not opening the ground) at the same time;
 *  - herhaalde opening: LV cable replacement now, the water main in the same street three years on;
 *  - graafrust: a road reconstruction reported finished (the import makes its 5-year moratorium),
 *    then fibre in the same street;
 *  - meekoppelkans: comes from the real assets themselves (old AC/PVC mains, 1960s cables) under
 *    ground-opening works.
 */
import { mulberry32 } from '../../api/src/model/prng.ts';
import type { SystemCode } from '../../api/src/model/systems.ts';
import type { WORK_KINDS } from '../../api/src/model/work.ts';

export type Rng = () => number;

/** The seeded generator (mulberry32), so the same seed gives the same planning. */
export const seeded = (seed: number): Rng => mulberry32(seed);

export const pickOne = <T>(rng: Rng, xs: readonly T[]): T => {
  const x = xs[Math.floor(rng() * xs.length)];
  if (x === undefined) throw new Error('pickOne: empty list');
  return x;
};

export type Kind = (typeof WORK_KINDS)[number];

/** What kind of work each owner does, on which network, how it is built. */
export interface WorkType {
  kind: Kind;
  owner: 'maasgouw' | 'wml' | 'enexis' | 'kpn';
  systems: SystemCode[];
  opensGround: boolean;
  trenchWidth: number | null;
  /** fictional cost per metre of route (lines) or per m² (polygons), in euros */
  costPerUnit: number;
  title: string;
}

export const TYPES = {
  water: { kind: 'vervanging waterleiding', owner: 'wml', systems: ['drinkwater'], opensGround: true, trenchWidth: 0.8, costPerUnit: 450, title: 'Vervanging waterleiding' },
  sewer: { kind: 'vervanging riool', owner: 'maasgouw', systems: ['riool_vrijverval'], opensGround: true, trenchWidth: 1.5, costPerUnit: 1200, title: 'Vervanging vrijvervalriool' },
  relining: { kind: 'relining', owner: 'maasgouw', systems: ['riool_vrijverval'], opensGround: false, trenchWidth: null, costPerUnit: 350, title: 'Relining riool' },
  mv: { kind: 'netverzwaring', owner: 'enexis', systems: ['elektriciteit_ms'], opensGround: true, trenchWidth: 0.6, costPerUnit: 250, title: 'Netverzwaring middenspanning' },
  lv: { kind: 'kabelvervanging', owner: 'enexis', systems: ['elektriciteit_ls'], opensGround: true, trenchWidth: 0.6, costPerUnit: 180, title: 'Vervanging laagspanningskabels' },
  fibre: { kind: 'glasvezel', owner: 'kpn', systems: ['telecom'], opensGround: true, trenchWidth: 0.4, costPerUnit: 60, title: 'Aanleg glasvezel' },
  road: { kind: 'reconstructie weg', owner: 'maasgouw', systems: ['mobiliteit'], opensGround: true, trenchWidth: null, costPerUnit: 95, title: 'Reconstructie weg' },
  asphalt: { kind: 'onderhoud', owner: 'maasgouw', systems: ['mobiliteit'], opensGround: false, trenchWidth: null, costPerUnit: 25, title: 'Groot onderhoud asfalt' },
  green: { kind: 'vergroening/klimaatadaptatie', owner: 'maasgouw', systems: ['groen', 'riool_vrijverval'], opensGround: true, trenchWidth: null, costPerUnit: 120, title: 'Vergroening en afkoppelen regenwater' },
} as const satisfies Record<string, WorkType>;
export type TypeKey = keyof typeof TYPES;

/** Where a work lies: along real network lines of one system (seed filter), or next to another work's route. */
export type Place =
  | { along: SystemCode[]; seedMaterial?: string[]; lengthM: [number, number] }
  | { near: number; along: SystemCode[]; withinM: number };

export interface PlannedWork {
  type: TypeKey;
  place: Place;
  /** polygon works: the route buffered by this many metres */
  polygonM?: number;
  preferred: [string, string];
  /** months of slack before the preferred start and after the preferred end */
  flexMonths: [number, number];
  status?: 'gereed';
}

export interface Scenario {
  name: string;
  works: PlannedWork[];
}

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** The designed scenarios; years drawn from the generator so that a new seed gives a new planning. */
export function scenarios(rng: Rng): Scenario[] {
  const out: Scenario[] = [];
  for (const y of [2027, 2028, 2029]) {
    out.push({
      name: `werk-met-werk ${y}`,
      works: [
        { type: 'water', place: { along: ['drinkwater'], seedMaterial: ['AC'], lengthM: [150, 300] }, preferred: [iso(y, 3, 1), iso(y, 7, 31)], flexMonths: [3, 4] },
        { type: 'sewer', place: { near: 0, along: ['riool_vrijverval'], withinM: 10 }, preferred: [iso(y, 9, 1), iso(y + 1, 2, 28)], flexMonths: [4, 3] },
        { type: 'fibre', place: { near: 0, along: ['elektriciteit_ls'], withinM: 10 }, preferred: [iso(y + 1, 4, 1), iso(y + 1, 6, 30)], flexMonths: [6, 3] },
      ],
    });
  }
  for (let i = 0; i < 2; i++) {
    const y = 2027 + Math.floor(rng() * 4);
    out.push({
      name: `botsing ${y}`,
      works: [
        { type: 'mv', place: { along: ['elektriciteit_ms'], lengthM: [200, 400] }, preferred: [iso(y, 4, 1), iso(y, 9, 30)], flexMonths: [1, 1] },
        { type: 'asphalt', place: { near: 0, along: ['elektriciteit_ms'], withinM: 2 }, polygonM: 3, preferred: [iso(y, 6, 1), iso(y, 7, 15)], flexMonths: [0, 0] },
      ],
    });
  }
  for (let i = 0; i < 2; i++) {
    out.push({
      name: 'herhaalde opening',
      works: [
        { type: 'lv', place: { along: ['elektriciteit_ls'], lengthM: [150, 300] }, preferred: [iso(2026, 9, 1), iso(2026, 12, 15)], flexMonths: [1, 1] },
        { type: 'water', place: { near: 0, along: ['drinkwater'], withinM: 8 }, preferred: [iso(2029 + i, 5, 1), iso(2029 + i, 8, 31)], flexMonths: [2, 2] },
      ],
    });
  }
  for (let i = 0; i < 2; i++) {
    out.push({
      name: 'graafrust',
      works: [
        { type: 'road', place: { along: ['riool_vrijverval'], lengthM: [120, 250] }, polygonM: 5, preferred: [iso(2026, 2, 1), iso(2026, 10, 31)], flexMonths: [0, 0], status: 'gereed' },
        { type: 'fibre', place: { near: 0, along: ['elektriciteit_ls'], withinM: 6 }, preferred: [iso(2028 + i, 3, 1), iso(2028 + i, 5, 31)], flexMonths: [2, 2] },
      ],
    });
  }
  out.push({
    name: 'vergroening',
    works: [{ type: 'green', place: { along: ['riool_vrijverval'], lengthM: [200, 350] }, polygonM: 6, preferred: [iso(2030, 3, 1), iso(2030, 11, 30)], flexMonths: [6, 6] }],
  });
  return out;
}

const FILLER: { type: TypeKey; along: SystemCode[] }[] = [
  { type: 'relining', along: ['riool_vrijverval'] }, { type: 'sewer', along: ['riool_vrijverval'] },
  { type: 'water', along: ['drinkwater'] }, { type: 'lv', along: ['elektriciteit_ls'] },
  { type: 'mv', along: ['elektriciteit_ms'] }, { type: 'fibre', along: ['elektriciteit_ls'] },
];

/** Single works elsewhere, spread over 2026–2032, so that the planning is not only the scenarios. */
export function fillers(rng: Rng, count: number): Scenario[] {
  return Array.from({ length: count }, (_, i) => {
    const f = FILLER[i % FILLER.length] ?? FILLER[0];
    if (!f) throw new Error('no filler types');
    const y = 2026 + Math.floor(rng() * 7);
    const m = 1 + Math.floor(rng() * 9);
    const months = 2 + Math.floor(rng() * 6);
    const end = new Date(Date.UTC(y, m - 1 + months, 0));
    return {
      name: `los werk ${i + 1}`,
      works: [{ type: f.type, place: { along: f.along, lengthM: [80, 250] }, preferred: [iso(y, m, 1), end.toISOString().slice(0, 10)], flexMonths: [Math.floor(rng() * 4), Math.floor(rng() * 4)] }],
    };
  });
}

/** Shift an ISO date by whole months (clamped to the month's end). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
}

/** The status a planner gives a work starting in this year (as of the demo's date, late 2026). */
export function statusFor(start: string, given?: 'gereed'): 'gereed' | 'in voorbereiding' | 'gepland' | 'idee' {
  if (given) return given;
  const y = Number(start.slice(0, 4));
  return y <= 2027 ? 'in voorbereiding' : y <= 2029 ? 'gepland' : 'idee';
}
