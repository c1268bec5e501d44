/**
 * Lump-sum settlements in the seed format (local/seed/seedFormat.ts) and as the seed writes them
 * (local/seed/writeSeed.ts): `settledThrough` is optional (older seeds stay valid) and defaults to the person's
 * last contribution month on or before the settlement date; a person may have several settlements, one per
 * contribution record; the demo's LS_* settlements are written under their per-record keys.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { loadSeedFile, parseSeed, resolvedSettlements, SeedFormatError } from '../../local/seed/seedFormat';
import { writeSeedToTables } from '../../local/seed/writeSeed';
import { loadContributionRecord } from '../../functions/adapters/contributionRecordsRepository';
import { dynamo } from '../../functions/adapters/dynamo';
import { useLocalTables } from '../support/tables';

const DEMO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../local/seed/demo.json');
const PERSON = '079087000609';

function seedWith(settlements: Record<string, unknown>[]) {
  return {
    provinceCode: '79',
    population: {
      people: [{ personalId: PERSON, fullName: 'Lý Văn Thành', dateOfBirth: '1987-04-12', sex: 'MALE' }],
      households: [],
    },
    insurance: {
      contributionPeriods: [
        { personalId: PERSON, employer: 'A', employerCode: 'CTY-A', from: '2013-01', to: '2018-12', monthlySalary: 6_000_000, schemes: ['SI', 'UI', 'HI'], region: 'I' },
        { personalId: PERSON, employer: 'B', employerCode: 'CTY-B', from: '2019-06', to: '2025-05', monthlySalary: 8_000_000, schemes: ['SI', 'UI', 'HI'], region: 'I' },
      ],
      employers: [
        { code: 'CTY-A', name: 'A', closed: true, owesContributions: false },
        { code: 'CTY-B', name: 'B', closed: true, owesContributions: false },
      ],
      settlements,
    },
  };
}

function issuesOf(data: unknown): string[] {
  try {
    parseSeed(data, 'test-seed');
  } catch (err) {
    expect(err).toBeInstanceOf(SeedFormatError);
    return (err as SeedFormatError).issues;
  }
  throw new Error('expected the seed to be rejected');
}

describe('seed settlements', () => {
  it('an older seed without settledThrough stays valid; the default is the last contribution month on or before settledOn', () => {
    const seed = parseSeed(seedWith([{ personalId: PERSON, settledOn: '2019-04-16', amount: 1, paymentOrderId: 'PO-1' }]));
    expect(seed.insurance.settlements[0].settledThrough).toBeUndefined();
    expect(resolvedSettlements(seed.insurance).map((s) => s.settledThrough)).toEqual(['2018-12']);
    // Settled while contributing: the months up to the settlement month.
    const during = parseSeed(seedWith([{ personalId: PERSON, settledOn: '2020-03-02', amount: 1, paymentOrderId: 'PO-1' }]));
    expect(resolvedSettlements(during.insurance)[0].settledThrough).toBe('2020-03');
  });

  it('a person may have one settlement per contribution record', () => {
    const seed = parseSeed(
      seedWith([
        { personalId: PERSON, settledOn: '2019-04-16', amount: 1, paymentOrderId: 'PO-1', settledThrough: '2018-12' },
        { personalId: PERSON, settledOn: '2026-10-01', amount: 2, paymentOrderId: 'PO-2' },
      ]),
    );
    expect(resolvedSettlements(seed.insurance).map((s) => s.settledThrough)).toEqual(['2018-12', '2025-05']);
  });

  it('rejects a settledThrough after the settlement date, a malformed one, and two settlements of one record', () => {
    const issues = issuesOf(
      seedWith([
        { personalId: PERSON, settledOn: '2019-04-16', amount: 1, paymentOrderId: 'PO-1', settledThrough: '2019-05' },
        { personalId: PERSON, settledOn: '2019-04-16', amount: 1, paymentOrderId: 'PO-2', settledThrough: '2019-13' },
      ]),
    );
    expect(issues).toEqual([
      'insurance.settlements[0].settledThrough: settledThrough 2019-05 is after the settlement date 2019-04-16',
      'insurance.settlements[1].settledThrough: expected a month YYYY-MM',
    ]);
    const twice = issuesOf(
      seedWith([
        { personalId: PERSON, settledOn: '2019-04-16', amount: 1, paymentOrderId: 'PO-1' },
        { personalId: PERSON, settledOn: '2019-05-20', amount: 1, paymentOrderId: 'PO-2', settledThrough: '2018-12' },
      ]),
    );
    expect(twice).toEqual([
      `insurance.settlements[1].settledThrough: ${PERSON} already has a settlement through 2018-12 (a contribution record is paid out once)`,
    ]);
  });
});

describe('the demo seed written to the tables', () => {
  let tables: Record<string, string>;
  beforeAll(async () => {
    tables = await useLocalTables('lumpSumSeed');
    await writeSeedToTables(loadSeedFile(DEMO));
  });

  async function markersOf(personalId: string) {
    const out = await dynamo().send(
      new QueryCommand({
        TableName: tables.INSURANCE_RECORDS_TABLE,
        KeyConditionExpression: 'personalId = :p AND begins_with(recordType, :s)',
        ExpressionAttributeValues: { ':p': personalId, ':s': 'SETTLEMENT#' },
      }),
    );
    return out.Items ?? [];
  }

  it('LS_ALREADY_SETTLED (no settledThrough in the seed): written through 2019-12, its last contribution month', async () => {
    expect(await markersOf('079184000606')).toEqual([
      expect.objectContaining({ recordType: 'SETTLEMENT#LUMP_SUM#2019-12', settledThrough: '2019-12', settledOn: '2025-03-14', paymentOrderId: 'PO-79-2025-000871' }),
    ]);
  });

  it('LS_SECOND_RECORD: settled through 2018-12 in 2019, contributions again 2019-06..2025-05', async () => {
    expect(await markersOf(PERSON)).toEqual([
      expect.objectContaining({ recordType: 'SETTLEMENT#LUMP_SUM#2018-12', settledOn: '2019-04-16', applicationId: 'LEGACY-PO-79-2019-000412' }),
    ]);
    const record = await loadContributionRecord(PERSON);
    expect(record.periods.map((p) => [p.from, p.to, p.monthlySalary])).toEqual([
      ['2013-01', '2018-12', 6_000_000],
      ['2019-06', '2021-12', 8_000_000],
      ['2022-01', '2025-05', 12_000_000],
    ]);
    expect(record.settlements.map((s) => s.settledThrough)).toEqual(['2018-12']);
  });
});
