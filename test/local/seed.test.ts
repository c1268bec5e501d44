import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  loadSeedFile,
  parseSeed,
  personalIdProblems,
  seedPopulation,
  SeedFormatError,
  type Seed,
  type SeedScenario,
} from '../../local/seed/seedFormat';
import type { HealthInsuranceCard, RegistryHousehold } from '../../functions/domain/types';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../local/seed/demo.json');
const TODAY = '2026-11-22';
const BASE_SALARY = 2_530_000;

/** Independent of seedFormat.ts: digit 4 = century + sex, digits 5–6 = birth year. */
function idAgrees(personalId: string, dateOfBirth: string, sex?: string): boolean {
  const code = Number(personalId[3]);
  const century = 1900 + Math.floor(code / 2) * 100;
  if (Number(dateOfBirth.slice(0, 4)) - (Number(dateOfBirth.slice(0, 4)) % 100) !== century) return false;
  if (personalId.slice(4, 6) !== dateOfBirth.slice(2, 4)) return false;
  return sex === undefined || sex === (code % 2 === 0 ? 'MALE' : 'FEMALE');
}

function ageOn(dateOfBirth: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return today.slice(5) >= dateOfBirth.slice(5) ? years : years - 1;
}

const fold = (s: string) => s.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/g, ' ').trim();

/** Household discount ladder (domain.md §2): 100/70/60/50/40 % of 4.5 % of the base salary. */
function expectedQuote(household: Pick<RegistryHousehold, 'members'>, cards: Map<string, HealthInsuranceCard>, months: number) {
  const billable = household.members.filter((m) => {
    if (ageOn(m.dateOfBirth, TODAY) < 6) return false;
    const card = cards.get(m.personalId);
    return !card || card.coverageGroup === 'HOUSEHOLD';
  });
  const shares = [100, 70, 60, 50];
  const first = (BASE_SALARY * 45) / 1000; // 113,850: exact in đồng
  const total = billable.reduce((sum, _m, i) => sum + ((first * (shares[i] ?? 40)) / 100) * months, 0);
  return { billable: billable.length, excluded: household.members.length - billable.length, total };
}

describe('demo seed (local/seed/demo.json)', () => {
  const seed: Seed = loadSeedFile(DEMO);
  const pop = seedPopulation(seed);
  const cards = new Map(seed.insurance.healthCards.map((c) => [c.personalId, c]));
  const scenario = (name: string): SeedScenario => {
    const s = seed.scenarios.find((x) => x.name === name);
    if (!s) throw new Error(`no scenario ${name}`);
    return s;
  };
  const householdOf = (head: string) => pop.householdsByHead.get(head)!;
  /** The household an approved review prices: the registry's, or (HOUSEHOLD_NOT_FOUND approved) the head alone. */
  const approvedHouseholdOf = (head: string): Pick<RegistryHousehold, 'members'> =>
    pop.householdsByHead.get(head) ?? { members: [{ ...pop.citizens.get(head)!, relationToHead: 'CHU_HO', identityLinked: true }] };

  it('validates, for province 79, with a scenario per path', () => {
    expect(seed.provinceCode).toBe('79');
    expect(seed.scenarios.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'CLEAN',
        'WORKED_EXAMPLE',
        'LARGE',
        'HEAD_NOT_FOUND',
        'ADDRESS_MISMATCH',
        'CHILD_UNDER_6_UNREGISTERED',
        'REGISTRY_TIMEOUT',
        'NAME_DIACRITICS',
        'NAME_MISMATCH',
        'ID_DOB_INCONSISTENT',
      ]),
    );
    for (const s of seed.scenarios) {
      expect(s.description.length, s.name).toBeGreaterThan(20);
      expect(s.expect.length, s.name).toBeGreaterThan(10);
      expect(s.outcome, s.name).toBeDefined();
    }
  });

  it("every scenario's head exists in the registry and heads a household, or deliberately does not", () => {
    for (const s of seed.scenarios) {
      const reason = s.outcome?.reasonCode;
      const id = s.submit.personalId;
      if (reason === 'HEAD_OF_HOUSEHOLD_NOT_FOUND') {
        expect(pop.citizens.has(id), s.name).toBe(false);
        expect(pop.householdsByHead.has(id), s.name).toBe(false);
        const corrected = s.outcome!.afterApproval!.corrections.personalId!;
        expect(pop.citizens.get(corrected)).toMatchObject({ fullName: s.submit.fullName, dateOfBirth: s.submit.dateOfBirth });
        expect(pop.householdsByHead.has(corrected)).toBe(true);
        // A typo in the sequence digits only: province, century/sex and year digits are the real ones.
        expect(id.slice(0, 6)).toBe(corrected.slice(0, 6));
        expect(id).not.toBe(corrected);
        expect([...id.slice(6)].sort().join('')).toBe([...corrected.slice(6)].sort().join(''));
      } else {
        expect(pop.citizens.has(id), s.name).toBe(true);
        expect(pop.householdsByHead.has(id), s.name).toBe(reason !== 'HOUSEHOLD_NOT_FOUND');
      }
    }
  });

  it('personal IDs agree with date of birth and sex, except where a scenario says otherwise', () => {
    for (const p of pop.citizens.values()) expect(idAgrees(p.personalId, p.dateOfBirth, p.sex), p.personalId).toBe(true);
    for (const h of pop.householdsByHead.values()) {
      for (const m of h.members) expect(idAgrees(m.personalId, m.dateOfBirth, m.sex), m.personalId).toBe(true);
    }
    for (const s of seed.scenarios) {
      const consistent = idAgrees(s.submit.personalId, s.submit.dateOfBirth, s.submit.sex);
      expect(consistent, s.name).toBe(s.outcome?.reasonCode !== 'ID_INCONSISTENT_WITH_DATE_OF_BIRTH');
    }
    const bad = scenario('ID_DOB_INCONSISTENT');
    const real = pop.citizens.get(bad.submit.personalId)!;
    expect(real.dateOfBirth).toBe(bad.outcome!.afterApproval!.corrections.dateOfBirth);
    expect(bad.submit.personalId.slice(4, 6)).not.toBe(bad.submit.dateOfBirth.slice(2, 4));
  });

  it('uses 12-digit personal IDs, 10-digit social insurance numbers and NFC names with diacritics', () => {
    const ids = [...pop.citizens.keys(), ...[...pop.householdsByHead.values()].flatMap((h) => h.members.map((m) => m.personalId))];
    for (const id of ids) expect(id).toMatch(/^\d{12}$/);
    for (const c of seed.insurance.healthCards) expect(c.socialInsuranceNumber).toMatch(/^\d{10}$/);
    for (const p of pop.citizens.values()) {
      expect(p.fullName.normalize('NFC')).toBe(p.fullName);
      expect(p.fullName).toMatch(/[^\x00-\x7f]/);
    }
    for (const h of pop.householdsByHead.values()) expect(h.address.code).toMatch(/^DC79-\d+$/);
  });

  it('CLEAN: head and spouse, both with household cards expiring 2026-12-31', () => {
    const h = householdOf(scenario('CLEAN').submit.personalId);
    expect(h.members).toHaveLength(2);
    for (const m of h.members) expect(cards.get(m.personalId)).toMatchObject({ coverageGroup: 'HOUSEHOLD', expiresOn: '2026-12-31' });
  });

  it('WORKED_EXAMPLE: father employed (card in force), mother, grandmother and two children aged 7–12', () => {
    const s = scenario('WORKED_EXAMPLE');
    const h = householdOf(s.submit.personalId);
    const head = cards.get(s.submit.personalId)!;
    expect(head.coverageGroup).toBe('EMPLOYEE');
    expect(head.validFrom <= TODAY && TODAY <= head.expiresOn).toBe(true);
    const others = h.members.filter((m) => m.personalId !== s.submit.personalId);
    expect(others.map((m) => m.relationToHead).sort()).toEqual(['CON', 'CON', 'ME', 'VO']);
    for (const m of others) expect(cards.get(m.personalId)?.coverageGroup).toBe('HOUSEHOLD');
    const children = others.filter((m) => m.relationToHead === 'CON');
    for (const c of children) expect(ageOn(c.dateOfBirth, TODAY)).toBeGreaterThanOrEqual(7);
    for (const c of children) expect(ageOn(c.dateOfBirth, TODAY)).toBeLessThanOrEqual(12);
    expect(s.outcome).toMatchObject({ billableMembers: 4, total: 3_825_360 });
  });

  it('LARGE: six members, each with a household card or none', () => {
    const h = householdOf(scenario('LARGE').submit.personalId);
    expect(h.members).toHaveLength(6);
    for (const m of h.members) expect([undefined, 'HOUSEHOLD']).toContain(cards.get(m.personalId)?.coverageGroup);
    expect(h.members.some((m) => !cards.has(m.personalId))).toBe(true);
  });

  it('stated quotes follow the discount ladder at 2,530,000 VND', () => {
    for (const s of seed.scenarios) {
      for (const stop of [s.outcome, s.outcome?.afterApproval]) {
        if (!stop || stop.billableMembers === undefined) continue;
        const head = (stop === s.outcome?.afterApproval && s.outcome.afterApproval.corrections.personalId) || s.submit.personalId;
        const q = expectedQuote(stop === s.outcome ? householdOf(head) : approvedHouseholdOf(head), cards, s.submit.periodMonths!);
        expect(stop.billableMembers, s.name).toBe(q.billable);
        if (stop.excludedMembers !== undefined) expect(stop.excludedMembers, s.name).toBe(q.excluded);
        if (stop.total !== undefined) expect(stop.total, s.name).toBe(q.total);
      }
    }
  });

  it('ADDRESS_MISMATCH is the only household with a member registered elsewhere', () => {
    const mismatched = [...pop.householdsByHead.values()].filter((h) =>
      h.members.some((m) => m.permanentAddress?.code !== h.address.code && m.temporaryAddress?.code !== h.address.code),
    );
    expect(mismatched.map((h) => h.headPersonalId)).toEqual([scenario('ADDRESS_MISMATCH').submit.personalId]);
  });

  it('CHILD_UNDER_6_UNREGISTERED: a child born 2023, unlinked, unknown to the citizens endpoint', () => {
    const h = householdOf(scenario('CHILD_UNDER_6_UNREGISTERED').submit.personalId);
    const unlinked = h.members.filter((m) => !m.identityLinked);
    expect(unlinked).toHaveLength(1);
    expect(unlinked[0].dateOfBirth.slice(0, 4)).toBe('2023');
    expect(ageOn(unlinked[0].dateOfBirth, TODAY)).toBeLessThan(6);
    expect(pop.citizens.has(unlinked[0].personalId)).toBe(false);
    // Nobody else in the demo is unlinked.
    const allUnlinked = [...pop.householdsByHead.values()].flatMap((x) => x.members.filter((m) => !m.identityLinked));
    expect(allUnlinked).toHaveLength(1);
  });

  it("REGISTRY_TIMEOUT: the head's ID is a timeout ID, and only it", () => {
    expect(seed.registryFaults?.timeoutIds).toEqual([scenario('REGISTRY_TIMEOUT').submit.personalId]);
  });

  it('NAME_DIACRITICS submits the registry name in NFD and another case; NAME_MISMATCH differs for real', () => {
    const d = scenario('NAME_DIACRITICS');
    const registered = pop.citizens.get(d.submit.personalId)!.fullName;
    expect(d.submit.fullName).not.toBe(registered);
    expect(d.submit.fullName).toBe(d.submit.fullName.normalize('NFD'));
    expect(d.submit.fullName.normalize('NFC')).not.toBe(registered); // case differs too
    expect(fold(d.submit.fullName)).toBe(fold(registered));

    const m = scenario('NAME_MISMATCH');
    const real = pop.citizens.get(m.submit.personalId)!;
    expect(fold(m.submit.fullName)).not.toBe(fold(real.fullName));
    expect(m.submit.dateOfBirth).toBe(real.dateOfBirth);
    expect(m.outcome?.afterApproval?.corrections.fullName).toBe(real.fullName);
  });

  it('other scenarios submit exactly what the registry holds', () => {
    for (const name of ['CLEAN', 'WORKED_EXAMPLE', 'LARGE', 'ADDRESS_MISMATCH', 'CHILD_UNDER_6_UNREGISTERED', 'REGISTRY_TIMEOUT']) {
      const s = scenario(name);
      expect(pop.citizens.get(s.submit.personalId), name).toMatchObject({
        fullName: s.submit.fullName,
        dateOfBirth: s.submit.dateOfBirth,
        sex: s.submit.sex,
      });
    }
  });
});

// -------------------------------------------------------------------------------------------------------------

const ADDR = { code: 'DC79-1', text: 'Số 1, Phường Sài Gòn, Thành phố Hồ Chí Minh' };

function minimalSeed(): Record<string, any> {
  return {
    provinceCode: '79',
    population: {
      people: [
        { personalId: '079078013572', fullName: 'Nguyễn Văn Hùng', dateOfBirth: '1978-04-12', sex: 'MALE' },
        { personalId: '079181024681', fullName: 'Trần Thị Mai', dateOfBirth: '1981-09-03', sex: 'FEMALE' },
      ],
      households: [
        {
          householdId: 'H1',
          headPersonalId: '079078013572',
          address: ADDR,
          members: [
            { personalId: '079078013572', relationToHead: 'CHU_HO' },
            { personalId: '079181024681', relationToHead: 'VO' },
          ],
        },
      ],
    },
    insurance: {
      healthCards: [
        { personalId: '079078013572', socialInsuranceNumber: '7910234561', coverageGroup: 'HOUSEHOLD', validFrom: '2026-01-01', expiresOn: '2026-12-31' },
      ],
    },
  };
}

function issuesOf(data: unknown): string[] {
  try {
    parseSeed(data, 'test-seed');
  } catch (err) {
    expect(err).toBeInstanceOf(SeedFormatError);
    expect((err as Error).message).toMatch(/^Invalid seed test-seed:\n {2}- /);
    return (err as SeedFormatError).issues;
  }
  throw new Error('expected the seed to be rejected');
}

describe('seed format', () => {
  it('accepts a minimal seed and fills in defaults', () => {
    const seed = parseSeed(minimalSeed());
    expect(seed.scenarios).toEqual([]);
    expect(seed.registryFaults).toBeUndefined();
    expect(seed.population.households[0].members[1].identityLinked).toBe(true);
  });

  it('leaves room for later services in insurance (contributionPeriods, settlements, other keys kept)', () => {
    const data = minimalSeed();
    data.insurance.contributionPeriods = [
      { personalId: '079078013572', employer: 'Công ty A', employerCode: 'CTY-A', from: '2014-01', to: '2016-06', monthlySalary: 6_000_000, schemes: ['SI', 'UI', 'HI'], region: 'I' },
    ];
    data.insurance.employers = [{ code: 'CTY-A', name: 'Công ty A', closed: true, owesContributions: false }];
    data.insurance.settlements = [];
    data.insurance.unemploymentClaims = [{ any: 'shape' }];
    const seed = parseSeed(data);
    expect(seed.insurance.contributionPeriods).toEqual(data.insurance.contributionPeriods);
    expect((seed.insurance as Record<string, unknown>).unemploymentClaims).toEqual([{ any: 'shape' }]);
  });

  it('reports a missing file and invalid JSON clearly', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'seed-'));
    expect(() => loadSeedFile(path.join(dir, 'nope.json'))).toThrow(/Invalid seed .*nope\.json:\n {2}- cannot read the file: ENOENT/);
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ "provinceCode": "79", }');
    expect(() => loadSeedFile(broken)).toThrow(/broken\.json:\n {2}- not valid JSON: /);
    const ok = path.join(dir, 'ok.json');
    writeFileSync(ok, JSON.stringify(minimalSeed()));
    expect(loadSeedFile(ok).provinceCode).toBe('79');
  });

  it('lists every field problem with its path', () => {
    const data = minimalSeed();
    data.provinceCode = '079';
    data.population.people[0].dateOfBirth = '1978-02-30';
    data.population.people[1].personalId = '07918102468';
    data.population.people.push({ personalId: '079290001234', fullName: 'Lê Văn A', dateOfBirth: '1990-01-01', sex: 'MALE' });
    data.population.people.push({ personalId: '079190001235', fullName: 'Le\u0302 Thi\u0323 B', dateOfBirth: '1990-01-01', sex: 'FEMALE' });
    data.insurance.healthCards[0].socialInsuranceNumber = '79102345';
    data.registryFault = { latencyMs: 1 };
    const issues = issuesOf(data);
    expect(issues).toEqual(
      expect.arrayContaining([
        'provinceCode: provinceCode has two digits, e.g. "79"',
        'population.people[0].dateOfBirth: not a calendar date',
        'population.people[1].personalId: a personal ID has exactly 12 digits',
        'population.people[2].personalId: personal ID 079290001234: digit 4 says born in the 2000s, date of birth 1990-01-01 says 1900s',
        'population.people[3].fullName: registry names are stored in Unicode NFC (composed diacritics)',
        'insurance.healthCards[0].socialInsuranceNumber: a social insurance number has exactly 10 digits',
      ]),
    );
    expect(issues.some((i) => i.startsWith('(root)') && i.includes('registryFault'))).toBe(true);
  });

  it('checks the household book against the people', () => {
    const data = minimalSeed();
    const h = data.population.households[0];
    h.members.push({ personalId: '079215007341', relationToHead: 'CON' }); // linked, but no people entry
    h.members.push({ personalId: '079323005519', relationToHead: 'CON', identityLinked: false, fullName: 'Hồ Ngọc Diệp' }); // no DOB/sex
    h.members[1].fullName = 'Trần Thị Mai'; // linked members take it from people
    data.population.households.push({
      householdId: 'H1',
      headPersonalId: '079181024681', // listed as VO, not CHU_HO; also already a member of H1
      address: ADDR,
      members: [{ personalId: '079181024681', relationToHead: 'VO' }],
    });
    const issues = issuesOf(data);
    expect(issues).toEqual(
      expect.arrayContaining([
        'population.households[0].members[2].personalId: linked member 079215007341 has no people entry (add one, or set identityLinked: false with fullName, dateOfBirth, sex)',
        'population.households[0].members[3].dateOfBirth: an unlinked member (identityLinked: false) needs dateOfBirth',
        'population.households[0].members[3].sex: an unlinked member (identityLinked: false) needs sex',
        'population.households[0].members[1].fullName: a linked member takes fullName from its people entry; remove it here (or set identityLinked: false)',
        'population.households[1].householdId: duplicate household H1',
        'population.households[1].members: the head 079181024681 must have relationToHead "CHU_HO", not "VO"',
        'population.households[1].members[0].personalId: 079181024681 is already a member of household H1',
      ]),
    );
  });

  it('rejects an unlinked member that also has a people entry, and cards for unknown people', () => {
    const data = minimalSeed();
    data.population.households[0].members[1] = {
      personalId: '079181024681',
      relationToHead: 'VO',
      identityLinked: false,
      fullName: 'Trần Thị Mai',
      dateOfBirth: '1981-09-03',
      sex: 'FEMALE',
    };
    data.insurance.healthCards.push({ ...data.insurance.healthCards[0], personalId: '079099999999' });
    const issues = issuesOf(data);
    expect(issues).toEqual(
      expect.arrayContaining([
        'population.households[0].members[1].identityLinked: 079181024681 is not identity-linked but has a people entry (people[1]): remove one of them',
        'insurance.healthCards[1].personalId: card holder 079099999999 is not in the population',
        'insurance.healthCards[1].socialInsuranceNumber: duplicate social insurance number 7910234561',
      ]),
    );
  });

  it('checks scenarios and faults', () => {
    const data = minimalSeed();
    data.registryFaults = { errorRate: 1.5, timeoutIds: [] };
    const s = { name: 'CLEAN', description: 'x', submit: { personalId: '079078013572', fullName: 'A', dateOfBirth: '1978-04-12', periodMonths: 5 }, expect: 'ok' };
    data.scenarios = [s, { ...s, submit: { ...s.submit, periodMonths: 12 } }];
    const issues = issuesOf(data);
    expect(issues.some((i) => i.startsWith('registryFaults.errorRate:'))).toBe(true);
    expect(issues.some((i) => i.startsWith('scenarios[0].submit.periodMonths:'))).toBe(true);
    // Cross-reference checks run once the fields are well-formed.
    data.registryFaults.errorRate = 0.5;
    s.submit.periodMonths = 3;
    expect(issuesOf(data)).toEqual(['scenarios[1].name: duplicate scenario CLEAN']);
  });

  it('requires the head among the household members', () => {
    const data = minimalSeed();
    data.population.households[0].members.shift();
    expect(issuesOf(data)).toEqual([
      'population.households[0].members: the head 079078013572 must be listed among the members (relationToHead "CHU_HO")',
    ]);
  });

  it('personalIdProblems explains century, year and sex disagreements', () => {
    expect(personalIdProblems('079078013572', '1978-04-12', 'MALE')).toEqual([]);
    expect(personalIdProblems('079078013572', '1987-04-12', 'FEMALE')).toEqual([
      'personal ID 079078013572: digits 5–6 (78) are not the birth year of 1987-04-12',
      'personal ID 079078013572: digit 4 says MALE, sex is FEMALE',
    ]);
    expect(personalIdProblems('079978013572', '1978-04-12')).toEqual(['personal ID 079978013572: digit 4 must be 0–5 (century and sex)']);
  });
});

describe('seedPopulation', () => {
  it('resolves members, defaults addresses and household ids, and leaves unlinked members out of citizens', () => {
    const pop = seedPopulation({
      population: {
        people: [
          { personalId: '079078013572', fullName: 'Nguyễn Văn Hùng', dateOfBirth: '1978-04-12', sex: 'MALE' },
          {
            personalId: '079181024681',
            fullName: 'Trần Thị Mai',
            dateOfBirth: '1981-09-03',
            sex: 'FEMALE',
            temporaryAddress: ADDR,
            permanentAddress: { code: 'DC01-9', text: 'Hà Nội' },
          },
        ],
        households: [
          {
            householdId: 'H1',
            headPersonalId: '079078013572',
            address: ADDR,
            members: [
              { personalId: '079078013572', relationToHead: 'CHU_HO' },
              { personalId: '079181024681', relationToHead: 'VO' },
              { personalId: '079323005519', relationToHead: 'CON', identityLinked: false, fullName: 'Nguyễn Ngọc Diệp', dateOfBirth: '2023-08-14', sex: 'FEMALE' },
            ],
          },
        ],
      },
    });
    expect(pop.citizens.get('079078013572')).toEqual({
      personalId: '079078013572',
      fullName: 'Nguyễn Văn Hùng',
      dateOfBirth: '1978-04-12',
      sex: 'MALE',
      permanentAddress: ADDR,
      householdId: 'H1',
    });
    expect(pop.citizens.get('079181024681')?.permanentAddress).toEqual({ code: 'DC01-9', text: 'Hà Nội' });
    expect(pop.citizens.has('079323005519')).toBe(false);
    const h = pop.householdsByHead.get('079078013572')!;
    expect(h.members.map((m) => m.identityLinked)).toEqual([true, true, false]);
    expect(h.members[2]).toEqual({
      personalId: '079323005519',
      fullName: 'Nguyễn Ngọc Diệp',
      dateOfBirth: '2023-08-14',
      sex: 'FEMALE',
      permanentAddress: ADDR,
      householdId: 'H1',
      relationToHead: 'CON',
      identityLinked: false,
    });
  });

  it('rejects an invalid population with SeedFormatError', () => {
    expect(() =>
      seedPopulation({ population: { people: [], households: [{ householdId: 'H', headPersonalId: '079078013572', address: ADDR, members: [{ personalId: '079078013572', relationToHead: 'CHU_HO' }] }] } }),
    ).toThrow(/population\.households\[0\]\.members\[0\]\.personalId: linked member 079078013572 has no people entry/);
  });
});
