/**
 * Seed file format of the local runtime (local/seed/*.json): the population registry the simulator serves,
 * the health-insurance records BHXH holds, registry faults to start with, and named demo scenarios.
 *
 * ```jsonc
 * {
 *   "description": "optional free text",
 *   "provinceCode": "79",                       // two-digit province of the stack (Decision 19/2025/QĐ-TTg)
 *   "population": {
 *     "people": [RegistryPerson, …],            // identity-linked citizens: answered by GET /v1/citizens/{id}
 *     "households": [{
 *       "householdId": "HGD79-000101",
 *       "headPersonalId": "079078013572",       // must be one of the members, with relationToHead "CHU_HO"
 *       "address": { "code": "DC79-2674001", "text": "Số 18 …" },
 *       "members": [
 *         { "personalId": "079078013572", "relationToHead": "CHU_HO" },          // linked: data from people
 *         { "personalId": "079323005519", "relationToHead": "CON", "identityLinked": false,
 *           "fullName": "…", "dateOfBirth": "2023-08-14", "sex": "FEMALE" }      // not linked: carries its own data
 *       ]
 *     }]
 *   },
 *   "insurance": {
 *     "healthCards": [HealthInsuranceCard, …],  // at most one card per person
 *     "contributionPeriods": [{                 // a person's contribution record, one line per period
 *       "personalId": "079192000501", "employer": "Công ty …", "employerCode": "CTY-BINH-MINH",
 *       "from": "2025-01", "to": "2026-06",     // months, inclusive
 *       "monthlySalary": 20000000, "schemes": ["SI", "UI", "HI"], "region": "I",
 *       "voluntary": true, "stateSupportAmount": 1980000   // voluntary periods only (no region, no UI)
 *     }],
 *     "employers": [{ "code": "CTY-BINH-MINH", "name": "…", "closed": true, "owesContributions": false }],
 *     "settlements": [{ "personalId": "…", "settledOn": "2025-03-14", "amount": 45000000, "paymentOrderId": "PO-…",
 *                       "settledThrough": "2024-12" }]   // optional: the last contribution month paid out
 *   },
 *   "registryFaults": { "latencyMs": 0, "errorRate": 0, "timeoutIds": [], "seed": 42 },   // optional
 *   "scenarios": [{ "name": "CLEAN", "service": "HOUSEHOLD_RENEWAL", "description": "…", "submit": { … },
 *                   "expect": "…", "outcome": { … } }]
 * }
 * ```
 *
 * Rules checked by `parseSeed` / `loadSeedFile` (every violation is reported with its path):
 * - Dates are real calendar dates `YYYY-MM-DD`; personal IDs have 12 digits; social insurance numbers 10.
 * - Registry names are stored NFC (the registry normalises); scenario submissions may use any form.
 * - A registry person's (or unlinked member's) personal ID agrees with their date of birth and sex: digit 4 is
 *   the century and sex (0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s) and digits 5–6 the last two
 *   digits of the birth year. Scenario submissions are *not* checked: some are wrong on purpose.
 * - People, households, heads, cards and scenario names are unique; a person belongs to at most one household.
 * - A linked member (identityLinked omitted or true) has a `people` entry and takes name, date of birth and
 *   sex from it (repeating them on the member is an error). An unlinked member (identityLinked false) has no
 *   `people` entry (GET /v1/citizens/{id} answers 404 for them) and carries fullName, dateOfBirth and sex.
 * - A person listed in a household who has no address of their own is registered (permanent residence) at
 *   the household's address, and their householdId defaults to that household. Give a person another
 *   `permanentAddress` to model "a member registered at another address".
 * - Every health card belongs to a person of the population (linked or not).
 * - Contribution periods: months `YYYY-MM`, from ≤ to, integer salaries; an employer period has a region and an
 *   employer listed in `employers`; a voluntary period has no region and no UI; periods of one person do not
 *   share (from, employerCode); every period and settlement belongs to a person of the population.
 * - Settlements (lump sums already paid out): `settledThrough` (YYYY-MM, the last contribution month paid out)
 *   defaults to the person's last SI contribution month on or before `settledOn` (older seeds omit it); it is
 *   not after the month of settledOn; a person's settlements have distinct settledThrough (a person may have
 *   withdrawn, contributed again and withdrawn the new time).
 * - Scenarios: `service` defaults to HOUSEHOLD_RENEWAL; `submit` carries the fields of that service's request
 *   (periodMonths | terminationDate, contractType, requestingCentre | reason, bankAccount, evidence?) and no other.
 *
 * Unknown keys are errors (typos are caught), except at the top of `insurance`, which later services extend.
 * Cross-reference checks (uniqueness, members vs people, cards vs population) run once the fields they read
 * are well-formed, so a badly broken file may show its field errors first and cross-reference errors after.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { defaultSettledThrough } from '../../functions/adapters/contributionRecordsRepository';
import { UI_CONTRACT_TYPES, type UiContractType } from '../../functions/domain/unemployment/unemploymentHistory';
import { LUMP_SUM_REASONS, type LumpSumReason } from '../../functions/domain/lumpSum/lumpSumEligibility';
import type {
  ApplicationStatus,
  CoverageGroup,
  ServiceName,
  RegistryHousehold,
  RegistryHouseholdMember,
  RegistryPerson,
} from '../../functions/domain/types';

// ---------------------------------------------------------------------------------------------------------
// Field schemas

function isCalendarDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine(isCalendarDate, 'not a calendar date');

export const personalIdSchema = z.string().regex(/^\d{12}$/, 'a personal ID has exactly 12 digits');
export const socialInsuranceNumberSchema = z
  .string()
  .regex(/^\d{10}$/, 'a social insurance number has exactly 10 digits');
export const sexSchema = z.enum(['MALE', 'FEMALE']);

/** A name as the registry stores it: non-empty, Unicode NFC, no leading/trailing/double spaces. */
const registryNameSchema = z
  .string()
  .min(1, 'empty name')
  .refine((s) => s === s.normalize('NFC'), 'registry names are stored in Unicode NFC (composed diacritics)')
  .refine((s) => s === s.trim() && !/\s{2,}/.test(s), 'no leading, trailing or repeated spaces in a registry name');

export const addressSchema = z.strictObject({
  /** Stable address id of the registry. */
  code: z.string().min(1),
  text: z.string().min(1),
});

const relationSchema = z
  .string()
  .regex(/^[A-Z][A-Z_]*$/, 'relationToHead is an upper-case code such as CHU_HO, VO, CHONG, CON, ME, CHAU');

const coverageGroups = [
  'HOUSEHOLD',
  'EMPLOYEE',
  'PENSIONER',
  'STATE_BUDGET',
  'STATE_SUPPORTED',
  'NEAR_POOR',
] as const satisfies readonly CoverageGroup[];

const applicationStatuses = [
  'RECEIVED',
  'VERIFYING',
  'IN_REVIEW',
  'AWAITING_PAYMENT',
  'COMPLETED',
  'REJECTED',
  'EXPIRED',
  'FAILED',
] as const satisfies readonly ApplicationStatus[];

/** What the personal ID's digits 4–6 say, or null when they cannot be decoded (digit 4 above 5). */
export function decodePersonalId(personalId: string): { birthYearDigits: string; century: number; sex: 'MALE' | 'FEMALE' } | null {
  if (!/^\d{12}$/.test(personalId)) return null;
  const code = Number(personalId[3]);
  if (code > 5) return null;
  return {
    century: 1900 + Math.floor(code / 2) * 100,
    sex: code % 2 === 0 ? 'MALE' : 'FEMALE',
    birthYearDigits: personalId.slice(4, 6),
  };
}

/** Problems between a personal ID and a date of birth / sex (empty when consistent). */
export function personalIdProblems(personalId: string, dateOfBirth: string, sex?: 'MALE' | 'FEMALE'): string[] {
  const decoded = decodePersonalId(personalId);
  if (!decoded) return [`personal ID ${personalId}: digit 4 must be 0–5 (century and sex)`];
  const problems: string[] = [];
  const year = Number(dateOfBirth.slice(0, 4));
  const century = Math.floor(year / 100) * 100;
  if (century !== decoded.century) {
    problems.push(`personal ID ${personalId}: digit 4 says born in the ${decoded.century}s, date of birth ${dateOfBirth} says ${century}s`);
  }
  if (dateOfBirth.slice(2, 4) !== decoded.birthYearDigits) {
    problems.push(`personal ID ${personalId}: digits 5–6 (${decoded.birthYearDigits}) are not the birth year of ${dateOfBirth}`);
  }
  if (sex && sex !== decoded.sex) {
    problems.push(`personal ID ${personalId}: digit 4 says ${decoded.sex}, sex is ${sex}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Population

/** A citizen as the registry returns them (GET /v1/citizens/{id}). */
export const registryPersonSchema = z
  .strictObject({
    personalId: personalIdSchema,
    fullName: registryNameSchema,
    dateOfBirth: dateSchema,
    sex: sexSchema,
    /** Permanent residence (thường trú). Defaults to the household's address for household members. */
    permanentAddress: addressSchema.optional(),
    /** Temporary residence (tạm trú). */
    temporaryAddress: addressSchema.optional(),
    /** Defaults to the household that lists the person. */
    householdId: z.string().min(1).optional(),
  })
  .superRefine((p, ctx) => {
    for (const message of personalIdProblems(p.personalId, p.dateOfBirth, p.sex)) {
      ctx.addIssue({ code: 'custom', message, path: ['personalId'] });
    }
  });

/** A line of the household book. */
export const seedHouseholdMemberSchema = z
  .strictObject({
    personalId: personalIdSchema,
    /** "CHU_HO" for the head; e.g. "VO", "CHONG", "CON", "ME", "CHAU", "CON_DAU". */
    relationToHead: relationSchema,
    /** false: listed in the household book but identity not linked in the registry (no `people` entry). */
    identityLinked: z.boolean().default(true),
    /** Only for identityLinked false. */
    fullName: registryNameSchema.optional(),
    /** Only for identityLinked false. */
    dateOfBirth: dateSchema.optional(),
    /** Only for identityLinked false. */
    sex: sexSchema.optional(),
  })
  .superRefine((m, ctx) => {
    if (m.identityLinked) {
      for (const key of ['fullName', 'dateOfBirth', 'sex'] as const) {
        if (m[key] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `a linked member takes ${key} from its people entry; remove it here (or set identityLinked: false)`,
          });
        }
      }
      return;
    }
    for (const key of ['fullName', 'dateOfBirth', 'sex'] as const) {
      if (m[key] === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: `an unlinked member (identityLinked: false) needs ${key}` });
      }
    }
    if (m.dateOfBirth && m.sex) {
      for (const message of personalIdProblems(m.personalId, m.dateOfBirth, m.sex)) {
        ctx.addIssue({ code: 'custom', message, path: ['personalId'] });
      }
    }
  });

export const seedHouseholdSchema = z.strictObject({
  householdId: z.string().min(1),
  headPersonalId: personalIdSchema,
  address: addressSchema,
  /** Head included (relationToHead "CHU_HO"), in household-book order. */
  members: z.array(seedHouseholdMemberSchema).min(1, 'a household has at least its head'),
});

export const populationSchema = z
  .strictObject({
    people: z.array(registryPersonSchema).default([]),
    households: z.array(seedHouseholdSchema).default([]),
  })
  .superRefine((pop, ctx) => {
    const people = new Map<string, number>();
    pop.people.forEach((p, i) => {
      if (people.has(p.personalId)) {
        ctx.addIssue({ code: 'custom', path: ['people', i, 'personalId'], message: `duplicate person ${p.personalId} (also people[${people.get(p.personalId)}])` });
      } else people.set(p.personalId, i);
    });
    const householdIds = new Set<string>();
    const heads = new Set<string>();
    const memberOf = new Map<string, string>();
    pop.households.forEach((h, hi) => {
      const at = (...rest: (string | number)[]) => ['households', hi, ...rest];
      if (householdIds.has(h.householdId)) ctx.addIssue({ code: 'custom', path: at('householdId'), message: `duplicate household ${h.householdId}` });
      householdIds.add(h.householdId);
      if (heads.has(h.headPersonalId)) ctx.addIssue({ code: 'custom', path: at('headPersonalId'), message: `${h.headPersonalId} is already the head of another household` });
      heads.add(h.headPersonalId);
      const head = h.members.find((m) => m.personalId === h.headPersonalId);
      if (!head) {
        ctx.addIssue({ code: 'custom', path: at('members'), message: `the head ${h.headPersonalId} must be listed among the members (relationToHead "CHU_HO")` });
      } else if (head.relationToHead !== 'CHU_HO') {
        ctx.addIssue({ code: 'custom', path: at('members'), message: `the head ${h.headPersonalId} must have relationToHead "CHU_HO", not "${head.relationToHead}"` });
      }
      h.members.forEach((m, mi) => {
        const mAt = (...rest: (string | number)[]) => at('members', mi, ...rest);
        if (m.relationToHead === 'CHU_HO' && m.personalId !== h.headPersonalId) {
          ctx.addIssue({ code: 'custom', path: mAt('relationToHead'), message: `only the head (${h.headPersonalId}) is "CHU_HO"` });
        }
        const previous = memberOf.get(m.personalId);
        if (previous !== undefined) {
          ctx.addIssue({ code: 'custom', path: mAt('personalId'), message: `${m.personalId} is already a member of household ${previous}` });
        } else memberOf.set(m.personalId, h.householdId);
        const personIndex = people.get(m.personalId);
        if (m.identityLinked && personIndex === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: mAt('personalId'),
            message: `linked member ${m.personalId} has no people entry (add one, or set identityLinked: false with fullName, dateOfBirth, sex)`,
          });
        }
        if (!m.identityLinked && personIndex !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: mAt('identityLinked'),
            message: `${m.personalId} is not identity-linked but has a people entry (people[${personIndex}]): remove one of them`,
          });
        }
      });
    });
    pop.people.forEach((p, i) => {
      if (p.householdId === undefined) return;
      const listedIn = memberOf.get(p.personalId);
      if (!householdIds.has(p.householdId)) {
        ctx.addIssue({ code: 'custom', path: ['people', i, 'householdId'], message: `household ${p.householdId} is not in this seed` });
      } else if (listedIn !== p.householdId) {
        ctx.addIssue({
          code: 'custom',
          path: ['people', i, 'householdId'],
          message: `${p.personalId} says household ${p.householdId} but is ${listedIn ? `listed in ${listedIn}` : 'not listed in its members'}`,
        });
      }
    });
  });

// ---------------------------------------------------------------------------------------------------------
// Registry faults (the simulator's fault injection; also PUT /_faults)

const faultsShape = {
  /** Delay before every registry answer, in ms. */
  latencyMs: z.number().int().min(0).max(120_000),
  /** Share of registry requests (0..1) answered 503. */
  errorRate: z.number().min(0).max(1),
  /** Requests about these personal IDs (citizen or household head) get no answer within 30 s. */
  timeoutIds: z.array(z.string().min(1)),
  /** The next N registry requests answer 503 (counts down, before errorRate applies). */
  failNext: z.number().int().min(0),
  /** Seed of the RNG behind errorRate (deterministic runs); Math.random when absent. */
  seed: z.number().int(),
};

export const faultsSchema = z.strictObject({
  latencyMs: faultsShape.latencyMs.default(0),
  errorRate: faultsShape.errorRate.default(0),
  timeoutIds: faultsShape.timeoutIds.default([]),
  failNext: faultsShape.failNext.optional(),
  seed: faultsShape.seed.optional(),
});

/** A partial update of the faults (setFaults, PUT /_faults). */
export const faultsPatchSchema = z.strictObject(faultsShape).partial();

export interface Faults {
  latencyMs: number;
  errorRate: number;
  timeoutIds: string[];
  failNext?: number;
  seed?: number;
}

// ---------------------------------------------------------------------------------------------------------
// Insurance records and scenarios

export const healthCardSchema = z
  .strictObject({
    personalId: personalIdSchema,
    socialInsuranceNumber: socialInsuranceNumberSchema,
    coverageGroup: z.enum(coverageGroups),
    validFrom: dateSchema,
    expiresOn: dateSchema,
  })
  .refine((c) => c.validFrom <= c.expiresOn, { message: 'validFrom is after expiresOn', path: ['expiresOn'] });

export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM');

const schemeSchema = z.enum(['SI', 'UI', 'HI']);
const regionSchema = z.enum(['I', 'II', 'III', 'IV']);
const employerCodeSchema = z.string().regex(/^[A-Z0-9][A-Z0-9_-]*$/, 'employer codes are upper-case letters, digits, - and _');
const dongSchema = z.number().int('an amount in whole đồng').min(0);

/** One line of a person's contribution record (quá trình đóng). */
export const contributionPeriodSchema = z
  .strictObject({
    personalId: personalIdSchema,
    employer: z.string().min(1),
    employerCode: employerCodeSchema,
    from: monthSchema,
    to: monthSchema,
    /** Monthly salary (voluntary: chosen monthly income) contributions were based on, đồng. */
    monthlySalary: dongSchema,
    schemes: z
      .array(schemeSchema)
      .min(1, 'at least one scheme')
      .refine((a) => new Set(a).size === a.length, 'schemes are listed once each'),
    /** Region of the workplace (regional minimum wage); employer periods only. */
    region: regionSchema.optional(),
    /** BHXH tự nguyện (no employer, no region, no UI). */
    voluntary: z.boolean().optional(),
    /** Total State support paid towards this voluntary period, đồng. */
    stateSupportAmount: dongSchema.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.from > p.to) ctx.addIssue({ code: 'custom', path: ['to'], message: `from ${p.from} is after to ${p.to}` });
    if (p.voluntary) {
      if (p.region !== undefined) ctx.addIssue({ code: 'custom', path: ['region'], message: 'a voluntary period has no region' });
      if (p.schemes.includes('UI')) ctx.addIssue({ code: 'custom', path: ['schemes'], message: 'a voluntary period carries no UI' });
    } else {
      if (p.region === undefined) ctx.addIssue({ code: 'custom', path: ['region'], message: 'an employer period needs its region (I–IV)' });
      if (p.stateSupportAmount !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['stateSupportAmount'], message: 'State support is paid towards voluntary periods only' });
      }
    }
  });

/** An employer's status on the collection side. */
export const employerSchema = z.strictObject({
  code: employerCodeSchema,
  name: z.string().min(1),
  /** Has closed (chốt) the records of the workers who left. */
  closed: z.boolean(),
  /** Owes contributions (nợ đóng). */
  owesContributions: z.boolean(),
});

/** A lump sum already paid out: the person's contribution record through `settledThrough` is settled. */
export const settlementSeedSchema = z
  .strictObject({
    personalId: personalIdSchema,
    settledOn: dateSchema,
    amount: dongSchema,
    paymentOrderId: z.string().min(1),
    /** The application that settled it; default `LEGACY-<paymentOrderId>` (settled before this system). */
    applicationId: z.string().min(1).optional(),
    /**
     * The last contribution month it paid out; default the person's last SI contribution month on or before
     * settledOn. Months after it can be claimed (contributions from a later job).
     */
    settledThrough: monthSchema.optional(),
  })
  .superRefine((st, ctx) => {
    const wellFormed = monthSchema.safeParse(st.settledThrough).success && dateSchema.safeParse(st.settledOn).success;
    if (st.settledThrough !== undefined && wellFormed && st.settledThrough > st.settledOn.slice(0, 7)) {
      ctx.addIssue({ code: 'custom', path: ['settledThrough'], message: `settledThrough ${st.settledThrough} is after the settlement date ${st.settledOn}` });
    }
  });

export const insuranceSchema = z.looseObject({
  healthCards: z.array(healthCardSchema).default([]),
  /** Contribution records (unemployment history, lump sum). */
  contributionPeriods: z.array(contributionPeriodSchema).default([]),
  /** Employers' closing / debt status. */
  employers: z.array(employerSchema).default([]),
  /** Lump sums already paid out. */
  settlements: z.array(settlementSeedSchema).default([]),
});

/** Where an application stops without (further) staff action. */
const expectedStopShape = {
  status: z.enum(applicationStatuses),
  /** Review reason (IN_REVIEW) or terminal reason code (REJECTED / FAILED / EXPIRED). */
  reasonCode: z.string().regex(/^[A-Z][A-Z0-9_]*$/).optional(),
  /** Text the terminal reason's conditions contain: a condition code or a figure (e.g. the date a condition is met). */
  reasonIncludes: z.string().min(1).optional(),
  billableMembers: z.number().int().min(0).optional(),
  excludedMembers: z.number().int().min(0).optional(),
  /** Quote total in đồng (payment today, at the base salary in force). */
  total: z.number().int().min(0).optional(),
  /** Lump sum: the amount paid out, đồng. */
  amount: z.number().int().min(0).optional(),
  /** Unemployment history: the confirmation. */
  eligible: z.boolean().optional(),
  law: z.string().regex(/^[A-Z][A-Z0-9_]*$/).optional(),
  totalUiMonths: z.number().int().min(0).optional(),
  monthsWithinWindow: z.number().int().min(0).optional(),
  estimatedMonthlyBenefit: z.number().int().min(0).nullable().optional(),
  capApplied: z.boolean().optional(),
  benefitDurationMonths: z.number().int().min(0).optional(),
  reservedMonths: z.number().int().min(0).optional(),
};

const correctionsSchema = z.strictObject({
  personalId: personalIdSchema.optional(),
  fullName: z.string().min(1).optional(),
  dateOfBirth: dateSchema.optional(),
  sex: sexSchema.optional(),
});

const services = ['HOUSEHOLD_RENEWAL', 'UNEMPLOYMENT_HISTORY', 'LUMP_SUM_WITHDRAWAL'] as const satisfies readonly ServiceName[];

/** The request fields each service's submission carries, besides the identity (personalId, fullName, dateOfBirth, sex). */
const SERVICE_FIELDS: Record<ServiceName, { required: string[]; optional: string[] }> = {
  HOUSEHOLD_RENEWAL: { required: ['periodMonths'], optional: [] },
  UNEMPLOYMENT_HISTORY: { required: ['terminationDate', 'contractType', 'requestingCentre'], optional: [] },
  LUMP_SUM_WITHDRAWAL: { required: ['reason', 'bankAccount'], optional: ['evidence'] },
};

export const scenarioSchema = z
  .strictObject({
    /** UPPER_SNAKE name, e.g. "WORKED_EXAMPLE". */
    name: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'scenario names are UPPER_SNAKE_CASE'),
    /** The service the scenario submits to. */
    service: z.enum(services).default('HOUSEHOLD_RENEWAL'),
    description: z.string().min(1),
    /**
     * The request as a citizen (or a centre) would type it: the identity (the head of household for a renewal),
     * plus the fields of the scenario's service (SERVICE_FIELDS).
     */
    submit: z.strictObject({
      personalId: personalIdSchema,
      fullName: z.string().min(1),
      dateOfBirth: dateSchema,
      sex: sexSchema.optional(),
      /** HOUSEHOLD_RENEWAL */
      periodMonths: z.union([z.literal(3), z.literal(6), z.literal(12)]).optional(),
      /** UNEMPLOYMENT_HISTORY */
      terminationDate: dateSchema.optional(),
      contractType: z.enum(UI_CONTRACT_TYPES as [UiContractType, ...UiContractType[]]).optional(),
      requestingCentre: z.string().min(1).optional(),
      /** LUMP_SUM_WITHDRAWAL */
      reason: z.enum(LUMP_SUM_REASONS as [LumpSumReason, ...LumpSumReason[]]).optional(),
      bankAccount: z.strictObject({ bankCode: z.string().regex(/^\d{6}$/), accountNumber: z.string().regex(/^\d{6,19}$/) }).optional(),
      evidence: z.record(z.string(), z.unknown()).optional(),
    }),
  /** Expected outcome in words (status, reason, amounts, what staff do next). */
  expect: z.string().min(1),
  /** Optional machine-readable expectation, for end-to-end tests. */
  outcome: z
    .strictObject({
      ...expectedStopShape,
      /** A staff APPROVE of the review (with these corrections to the submitted identity) and where it then stops. */
      afterApproval: z.strictObject({ corrections: correctionsSchema, ...expectedStopShape }).optional(),
    })
    .optional(),
  })
  .superRefine((scenario, ctx) => {
    const fields = SERVICE_FIELDS[scenario.service];
    const submitted = scenario.submit as Record<string, unknown>;
    for (const key of fields.required) {
      if (submitted[key] === undefined) {
        ctx.addIssue({ code: 'custom', path: ['submit', key], message: `a ${scenario.service} scenario submits ${key}` });
      }
    }
    for (const [service, other] of Object.entries(SERVICE_FIELDS)) {
      if (service === scenario.service) continue;
      for (const key of [...other.required, ...other.optional]) {
        if (submitted[key] !== undefined && !fields.required.includes(key) && !fields.optional.includes(key)) {
          ctx.addIssue({ code: 'custom', path: ['submit', key], message: `${key} belongs to ${service}, not to ${scenario.service}` });
        }
      }
    }
  });

// ---------------------------------------------------------------------------------------------------------
// Seed

export const seedSchema = z
  .strictObject({
    description: z.string().optional(),
    provinceCode: z.string().regex(/^\d{2}$/, 'provinceCode has two digits, e.g. "79"'),
    population: populationSchema,
    insurance: insuranceSchema.prefault({}),
    registryFaults: faultsSchema.optional(),
    scenarios: z.array(scenarioSchema).default([]),
  })
  .superRefine((seed, ctx) => {
    const known = new Set<string>(seed.population.people.map((p) => p.personalId));
    for (const h of seed.population.households) for (const m of h.members) known.add(m.personalId);
    const cardOwners = new Set<string>();
    const numbers = new Set<string>();
    seed.insurance.healthCards.forEach((c, i) => {
      const at = ['insurance', 'healthCards', i];
      if (!known.has(c.personalId)) ctx.addIssue({ code: 'custom', path: [...at, 'personalId'], message: `card holder ${c.personalId} is not in the population` });
      if (cardOwners.has(c.personalId)) ctx.addIssue({ code: 'custom', path: [...at, 'personalId'], message: `${c.personalId} already has a card (one card per person)` });
      cardOwners.add(c.personalId);
      if (numbers.has(c.socialInsuranceNumber)) {
        ctx.addIssue({ code: 'custom', path: [...at, 'socialInsuranceNumber'], message: `duplicate social insurance number ${c.socialInsuranceNumber}` });
      }
      numbers.add(c.socialInsuranceNumber);
    });
    checkContributionRecords(seed.insurance, known, ctx);
    const names = new Set<string>();
    seed.scenarios.forEach((s, i) => {
      if (names.has(s.name)) ctx.addIssue({ code: 'custom', path: ['scenarios', i, 'name'], message: `duplicate scenario ${s.name}` });
      names.add(s.name);
    });
  });

/** Cross-references of the contribution records: owners in the population, employers listed, keys unique. */
function checkContributionRecords(
  insurance: z.output<typeof insuranceSchema>,
  known: ReadonlySet<string>,
  ctx: z.RefinementCtx,
): void {
  const employers = new Set<string>();
  insurance.employers.forEach((e, i) => {
    if (employers.has(e.code)) ctx.addIssue({ code: 'custom', path: ['insurance', 'employers', i, 'code'], message: `duplicate employer ${e.code}` });
    employers.add(e.code);
  });
  const periodKeys = new Set<string>();
  insurance.contributionPeriods.forEach((p, i) => {
    const at = ['insurance', 'contributionPeriods', i];
    if (!known.has(p.personalId)) ctx.addIssue({ code: 'custom', path: [...at, 'personalId'], message: `${p.personalId} is not in the population` });
    if (!p.voluntary && !employers.has(p.employerCode)) {
      ctx.addIssue({ code: 'custom', path: [...at, 'employerCode'], message: `employer ${p.employerCode} is not in insurance.employers` });
    }
    const key = `${p.personalId}|${p.from}|${p.employerCode}`;
    if (periodKeys.has(key)) {
      ctx.addIssue({ code: 'custom', path: [...at, 'from'], message: `${p.personalId} already has a period of ${p.employerCode} from ${p.from}` });
    }
    periodKeys.add(key);
  });
  const settled = new Set<string>();
  resolvedSettlements(insurance).forEach((st, i) => {
    const at = ['insurance', 'settlements', i];
    if (!known.has(st.personalId)) ctx.addIssue({ code: 'custom', path: [...at, 'personalId'], message: `${st.personalId} is not in the population` });
    const key = `${st.personalId}|${st.settledThrough}`;
    if (settled.has(key)) {
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'settledThrough'],
        message: `${st.personalId} already has a settlement through ${st.settledThrough} (a contribution record is paid out once)`,
      });
    }
    settled.add(key);
  });
}

/** The seed's settlements with settledThrough filled in (the default: see settlementSeedSchema). */
export function resolvedSettlements(
  insurance: Pick<z.output<typeof insuranceSchema>, 'settlements' | 'contributionPeriods'>,
): (z.output<typeof settlementSeedSchema> & { settledThrough: string })[] {
  return insurance.settlements.map((st) => ({
    ...st,
    settledThrough:
      st.settledThrough ?? defaultSettledThrough(insurance.contributionPeriods.filter((p) => p.personalId === st.personalId), st.settledOn),
  }));
}

export type Seed = z.output<typeof seedSchema>;
export type SeedInput = z.input<typeof seedSchema>;
export type SeedScenario = z.output<typeof scenarioSchema>;
export type SeedHousehold = z.output<typeof seedHouseholdSchema>;
export type SeedHouseholdMember = z.output<typeof seedHouseholdMemberSchema>;
export type PopulationInput = z.input<typeof populationSchema>;

/** A seed file that does not follow the format; `issues` lists each problem as "path: message". */
export class SeedFormatError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`Invalid seed ${source}:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'SeedFormatError';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(root)';
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}

/** Validates seed data (already parsed JSON). Throws SeedFormatError listing every problem. */
export function parseSeed(data: unknown, source = 'seed'): Seed {
  const result = seedSchema.safeParse(data);
  if (!result.success) throw new SeedFormatError(source, issuesOf(result.error));
  return result.data;
}

/** Reads and validates a seed file. Throws SeedFormatError (unreadable file, bad JSON, format violations). */
export function loadSeedFile(path: string): Seed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SeedFormatError(path, [`cannot read the file: ${(err as Error).message}`]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new SeedFormatError(path, [`not valid JSON: ${(err as Error).message}`]);
  }
  return parseSeed(data, path);
}

// ---------------------------------------------------------------------------------------------------------
// What the registry simulator serves

/** The registry as the simulator serves it. Build it with `seedPopulation`. */
export interface SeedPopulation {
  /** Identity-linked citizens by personal ID: GET /v1/citizens/{id}. Unlinked household members are absent. */
  citizens: ReadonlyMap<string, RegistryPerson>;
  /** Households by head's personal ID, members resolved (head included): GET /v1/households?headPersonalId=. */
  householdsByHead: ReadonlyMap<string, RegistryHousehold>;
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Resolves a seed's population into what the simulator serves. Accepts a loaded Seed or any object with a
 * `population` in the seed format (validated here too, so tests can pass literals).
 */
export function seedPopulation(seed: { population: PopulationInput }): SeedPopulation {
  const parsed = populationSchema.safeParse(seed.population);
  if (!parsed.success) throw new SeedFormatError('population', issuesOf(parsed.error).map((i) => `population.${i}`));
  const pop = parsed.data;

  const householdOf = new Map<string, SeedHousehold>();
  for (const h of pop.households) for (const m of h.members) householdOf.set(m.personalId, h);

  const citizens = new Map<string, RegistryPerson>();
  for (const p of pop.people) {
    const h = householdOf.get(p.personalId);
    const hasOwnAddress = p.permanentAddress !== undefined || p.temporaryAddress !== undefined;
    citizens.set(
      p.personalId,
      compact<RegistryPerson>({
        personalId: p.personalId,
        fullName: p.fullName,
        dateOfBirth: p.dateOfBirth,
        sex: p.sex,
        permanentAddress: p.permanentAddress ?? (hasOwnAddress ? undefined : h?.address),
        temporaryAddress: p.temporaryAddress,
        householdId: p.householdId ?? h?.householdId,
      }),
    );
  }

  const householdsByHead = new Map<string, RegistryHousehold>();
  for (const h of pop.households) {
    const members: RegistryHouseholdMember[] = h.members.map((m) => {
      if (m.identityLinked) {
        const person = citizens.get(m.personalId)!;
        return { ...person, relationToHead: m.relationToHead, identityLinked: true };
      }
      return {
        personalId: m.personalId,
        fullName: m.fullName!,
        dateOfBirth: m.dateOfBirth!,
        sex: m.sex!,
        permanentAddress: h.address,
        householdId: h.householdId,
        relationToHead: m.relationToHead,
        identityLinked: false,
      };
    });
    householdsByHead.set(h.headPersonalId, {
      householdId: h.householdId,
      headPersonalId: h.headPersonalId,
      address: h.address,
      members,
    });
  }
  return { citizens, householdsByHead };
}
