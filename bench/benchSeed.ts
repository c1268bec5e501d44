/**
 * Bench data: the demo seed plus N copies of one demo case per service, each copy its own people, so that no
 * two bench applications touch the same household, card, contribution record or settlement marker (no
 * transaction collisions between them, and every lump-sum claim has months of its own to settle).
 *
 * - Household renewal: the WORKED_EXAMPLE household (head insured at work and excluded, 4 billable members:
 *   3,825,360 VND for 12 months) with fresh personal IDs, cards and social insurance numbers, same names,
 *   dates of birth, sexes, coverage groups and expiry dates — so every copy is priced to the same đồng.
 * - Unemployment history: UI_WORKED_EXAMPLE's worker (50 UI months, eligible, 12,000,000/month).
 * - Lump sum: LS_WORKED_EXAMPLE's person (78,384,375 VND, one payment order).
 *
 * A fresh personal ID keeps the first six digits of the original (province of birth registration, century and
 * sex, year of birth: /work/shared/domain.md §5), so it agrees with the date of birth and sex, and replaces
 * the six-digit sequence: 5xxxxx households, 6xxxxx unemployment, 7xxxxx lump sum (checked unused).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { SeedScenario } from '../local/seed/seedFormat';

export const BENCH_CASES = {
  HOUSEHOLD_RENEWAL: 'WORKED_EXAMPLE',
  UNEMPLOYMENT_HISTORY: 'UI_WORKED_EXAMPLE',
  LUMP_SUM_WITHDRAWAL: 'LS_WORKED_EXAMPLE',
} as const;
export type BenchService = keyof typeof BENCH_CASES;
export const BENCH_SERVICES = Object.keys(BENCH_CASES) as BenchService[];

const SEQUENCE_BASE: Record<BenchService, number> = { HOUSEHOLD_RENEWAL: 500_000, UNEMPLOYMENT_HISTORY: 600_000, LUMP_SUM_WITHDRAWAL: 700_000 };
export const MAX_COPIES = 99_999;

/** What the load generator submits: one request body per copy, per service. */
export type BenchRequests = Record<BenchService, Record<string, unknown>[]>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function freshId(original: string, service: BenchService, copy: number): string {
  return original.slice(0, 6) + String(SEQUENCE_BASE[service] + copy).padStart(6, '0');
}

/**
 * Writes `outFile`: the demo seed (`demoFile`) plus `copies` copies of each bench case. Returns the request
 * bodies, in copy order (the expected outcome is the demo scenario's).
 */
export function writeBenchSeed(demoFile: string, outFile: string, copies: number): { requests: BenchRequests; expected: Record<BenchService, SeedScenario['outcome']> } {
  if (copies > MAX_COPIES) throw new Error(`at most ${MAX_COPIES} copies per service`);
  const seed = JSON.parse(readFileSync(demoFile, 'utf8')) as Json;
  const used = new Set<string>([
    ...seed.population.people.map((p: Json) => p.personalId),
    ...seed.population.households.flatMap((h: Json) => h.members.map((m: Json) => m.personalId)),
  ]);
  const usedNumbers = new Set<string>(seed.insurance.healthCards.map((c: Json) => c.socialInsuranceNumber));
  const scenario = (name: string) => {
    const s = seed.scenarios.find((x: Json) => x.name === name);
    if (!s) throw new Error(`demo scenario ${name} missing from ${demoFile}`);
    return s as SeedScenario & { submit: Record<string, unknown> };
  };
  const personOf = (id: string) => seed.population.people.find((p: Json) => p.personalId === id);
  const requests: BenchRequests = { HOUSEHOLD_RENEWAL: [], UNEMPLOYMENT_HISTORY: [], LUMP_SUM_WITHDRAWAL: [] };
  const people: Json[] = [];
  const households: Json[] = [];
  const cards: Json[] = [];
  const periods: Json[] = [];
  let cardSequence = 0;
  const freshNumber = () => {
    for (;;) {
      const n = String(9_000_000_000 + cardSequence++);
      if (!usedNumbers.has(n)) return n;
    }
  };
  const claim = (id: string) => {
    if (used.has(id)) throw new Error(`bench personal ID ${id} collides with the demo seed`);
    used.add(id);
    return id;
  };

  // Household renewal: the household, its people, their cards.
  {
    const s = scenario(BENCH_CASES.HOUSEHOLD_RENEWAL);
    const headId = String(s.submit.personalId);
    const household = seed.population.households.find((h: Json) => h.headPersonalId === headId);
    for (let c = 0; c < copies; c++) {
      const ids = new Map<string, string>(household.members.map((m: Json) => [m.personalId, claim(freshId(m.personalId, 'HOUSEHOLD_RENEWAL', c))]));
      const householdId = `${household.householdId}-B${c}`;
      households.push({ ...household, householdId, headPersonalId: ids.get(headId), members: household.members.map((m: Json) => ({ ...m, personalId: ids.get(m.personalId) })) });
      for (const m of household.members) {
        const p = personOf(m.personalId);
        if (p) people.push({ ...p, personalId: ids.get(m.personalId), ...(p.householdId ? { householdId } : {}) });
        for (const card of seed.insurance.healthCards.filter((k: Json) => k.personalId === m.personalId)) {
          cards.push({ ...card, personalId: ids.get(m.personalId), socialInsuranceNumber: freshNumber() });
        }
      }
      const { periodMonths, ...head } = { ...s.submit, personalId: ids.get(headId) };
      requests.HOUSEHOLD_RENEWAL.push({ head, periodMonths }); // POST /v1/household-renewals body
    }
  }

  // Unemployment history and lump sum: the person and their contribution periods.
  for (const service of ['UNEMPLOYMENT_HISTORY', 'LUMP_SUM_WITHDRAWAL'] as const) {
    const s = scenario(BENCH_CASES[service]);
    const id = String(s.submit.personalId);
    const person = personOf(id);
    if (!person || person.householdId) throw new Error(`bench case ${s.name}: expected a person outside any household`);
    for (let c = 0; c < copies; c++) {
      const fresh = claim(freshId(id, service, c));
      people.push({ ...person, personalId: fresh });
      for (const period of seed.insurance.contributionPeriods.filter((p: Json) => p.personalId === id)) periods.push({ ...period, personalId: fresh });
      for (const card of seed.insurance.healthCards.filter((k: Json) => k.personalId === id)) cards.push({ ...card, personalId: fresh, socialInsuranceNumber: freshNumber() });
      const { sex: _sex, ...body } = { ...s.submit, personalId: fresh };
      if (service === 'LUMP_SUM_WITHDRAWAL' && (body as Json).bankAccount) {
        (body as Json).bankAccount = { ...(body as Json).bankAccount, accountNumber: `99${String(c).padStart(8, '0')}` };
      }
      requests[service].push(body);
    }
  }

  seed.description = `${seed.description ?? ''} + bench: ${copies} copies of ${Object.values(BENCH_CASES).join(', ')}`;
  seed.population.people.push(...people);
  seed.population.households.push(...households);
  seed.insurance.healthCards.push(...cards);
  seed.insurance.contributionPeriods.push(...periods);
  writeFileSync(outFile, JSON.stringify(seed));
  const expected = Object.fromEntries(BENCH_SERVICES.map((svc) => [svc, scenario(BENCH_CASES[svc]).outcome])) as Record<BenchService, SeedScenario['outcome']>;
  return { requests, expected };
}
