/**
 * Test fixture of the household renewal: the domain.md §2 worked example (father, head of household, insured at
 * work; mother, grandmother and two children billed) as an in-memory population registry and BHXH cards.
 */
import { createHmac } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { dynamo } from '../../functions/adapters/dynamo';
import type { PopulationRegistry } from '../../functions/adapters/populationRegistry';
import type { HealthInsuranceCard, RegistryHousehold, RegistryHouseholdMember, RegistryPerson } from '../../functions/domain/types';
import { RegistryUnavailableError } from '../../functions/shared/errors';
import { consumerClaimsForToken } from '../../local/devIdentities';

/** Authorizer claims of the portal's dev consumer (access token, every service scope; client id dev-client-portal). */
export const PORTAL_CLAIMS: Record<string, string> = consumerClaimsForToken('dev-consumer-portal')!;
export const VSSID_CLAIMS: Record<string, string> = consumerClaimsForToken('dev-consumer-vssid')!;

/** 2026-07-01 10:00 in Asia/Ho_Chi_Minh. */
export const FIXED_NOW = '2026-07-01T03:00:00.000Z';
export const TODAY = '2026-07-01';
export const STATE_MACHINE_ARN = 'arn:aws:states:ap-southeast-1:000000000000:stateMachine:HouseholdRenewal';
export const PAYMENT_SECRET = 'test-payment-secret';

/** Sets the environment the services read; the clock is fixed at FIXED_NOW (offset from the real clock). */
export function useHouseholdEnv(): void {
  Object.assign(process.env, {
    PROVINCE_CODE: '79',
    HOUSEHOLD_RENEWAL_STATE_MACHINE_ARN: STATE_MACHINE_ARN,
    PAYMENT_WEBHOOK_SECRET: PAYMENT_SECRET,
    REVIEW_TIMEOUT_SECONDS: '432000',
    PAYMENT_TIMEOUT_SECONDS: '604800',
    CLOCK_OFFSET_MS: String(Date.parse(FIXED_NOW) - Date.now()),
  });
}

const address = { code: 'ADDR-79-0001', text: '12 Nguyễn Trãi, Phường Bến Thành, TP. Hồ Chí Minh' };
const HOUSEHOLD_ID = 'HH-79-000123';

function member(p: Omit<RegistryHouseholdMember, 'permanentAddress' | 'householdId' | 'identityLinked'>): RegistryHouseholdMember {
  return { ...p, permanentAddress: address, householdId: HOUSEHOLD_ID, identityLinked: true };
}

export const father = member({ personalId: '079085001234', fullName: 'Nguyễn Văn An', dateOfBirth: '1985-03-12', sex: 'MALE', relationToHead: 'CHU_HO' });
export const mother = member({ personalId: '079187004321', fullName: 'Trần Thị Bình', dateOfBirth: '1987-08-20', sex: 'FEMALE', relationToHead: 'VO' });
export const grandmother = member({ personalId: '079155000111', fullName: 'Lê Thị Cúc', dateOfBirth: '1955-01-05', sex: 'FEMALE', relationToHead: 'ME' });
export const son = member({ personalId: '079216000222', fullName: 'Nguyễn Văn Dũng', dateOfBirth: '2016-05-20', sex: 'MALE', relationToHead: 'CON' });
export const daughter = member({ personalId: '079318000333', fullName: 'Nguyễn Thị Hoa', dateOfBirth: '2018-09-01', sex: 'FEMALE', relationToHead: 'CON' });
export const members = [father, mother, grandmother, son, daughter];

export const headClaim = { personalId: father.personalId, fullName: father.fullName, dateOfBirth: father.dateOfBirth, sex: 'MALE' as const };

/** Cards on record: father at work; mother continuous; grandmother just expired; son none; daughter long expired. */
export const cards: HealthInsuranceCard[] = [
  { personalId: father.personalId, socialInsuranceNumber: '7901234567', coverageGroup: 'EMPLOYEE', validFrom: '2026-01-01', expiresOn: '2026-12-31' },
  { personalId: mother.personalId, socialInsuranceNumber: '7901234568', coverageGroup: 'HOUSEHOLD', validFrom: '2025-07-15', expiresOn: '2026-07-14' },
  { personalId: grandmother.personalId, socialInsuranceNumber: '7901234569', coverageGroup: 'HOUSEHOLD', validFrom: '2025-07-01', expiresOn: '2026-06-30' },
  { personalId: daughter.personalId, socialInsuranceNumber: '7901234570', coverageGroup: 'HOUSEHOLD', validFrom: '2025-01-01', expiresOn: '2025-12-31' },
];

export const WORKED_EXAMPLE_TOTAL = 3_825_360;

export async function seedCards(table = process.env.INSURANCE_RECORDS_TABLE!): Promise<void> {
  for (const card of cards) {
    await dynamo().send(new PutCommand({ TableName: table, Item: { ...card, recordType: 'HEALTH_CARD' } }));
  }
}

/** Hand-written in-memory PopulationRegistry. */
export class InMemoryRegistry implements PopulationRegistry {
  unavailable = false;
  readonly people = new Map<string, RegistryPerson>();
  readonly households = new Map<string, RegistryHousehold>();

  constructor() {
    for (const m of members) {
      const { relationToHead: _r, identityLinked: _l, ...person } = m;
      this.people.set(m.personalId, person);
    }
    this.households.set(father.personalId, { householdId: HOUSEHOLD_ID, headPersonalId: father.personalId, address, members: structuredClone(members) });
  }

  async findPerson(personalId: string): Promise<RegistryPerson | null> {
    if (this.unavailable) throw new RegistryUnavailableError('simulated outage');
    return structuredClone(this.people.get(personalId) ?? null);
  }

  async findHouseholdByHead(headPersonalId: string): Promise<RegistryHousehold | null> {
    if (this.unavailable) throw new RegistryUnavailableError('simulated outage');
    return structuredClone(this.households.get(headPersonalId) ?? null);
  }
}

/** The gateway's headers for a raw callback body: X-Payment-Timestamp and X-Payment-Signature. */
export function sign(body: string, options: { secret?: string; timestamp?: number } = {}): { timestamp: string; signature: string } {
  const timestamp = String(options.timestamp ?? Math.floor((Date.now() + Number(process.env.CLOCK_OFFSET_MS ?? 0)) / 1000));
  const hmac = createHmac('sha256', options.secret ?? PAYMENT_SECRET).update(`${timestamp}.${body}`, 'utf8').digest('hex');
  return { timestamp, signature: `sha256=${hmac}` };
}

/** An API Gateway REST proxy event. */
export function proxyEvent(p: {
  method: 'GET' | 'POST';
  path: string;
  resource: string;
  pathParameters?: Record<string, string>;
  body?: string | null;
  headers?: Record<string, string>;
  /** The authorizer's claims (default the portal consumer's access token); null = no authorizer (no credentials). */
  claims?: Record<string, string> | null;
}): APIGatewayProxyEvent {
  const claims = p.claims === undefined ? PORTAL_CLAIMS : p.claims;
  return {
    httpMethod: p.method,
    path: p.path,
    resource: p.resource,
    pathParameters: p.pathParameters ?? null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    headers: { 'content-type': 'application/json', ...(p.headers ?? {}) },
    multiValueHeaders: {},
    body: p.body ?? null,
    isBase64Encoded: false,
    stageVariables: null,
    requestContext: {
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      httpMethod: p.method,
      path: p.path,
      resourcePath: p.resource,
      identity: { sourceIp: '127.0.0.1' },
      authorizer: claims ? { claims } : null,
    } as unknown as APIGatewayProxyEvent['requestContext'],
  } as APIGatewayProxyEvent;
}

export const lambdaContext = { awsRequestId: 'test', functionName: 'test', getRemainingTimeInMillis: () => 29_000 } as unknown as Context;

export interface JsonResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  raw: string;
}

export async function invoke(
  handler: (event: APIGatewayProxyEvent, context: Context) => Promise<unknown>,
  event: APIGatewayProxyEvent,
): Promise<JsonResponse> {
  const out = (await handler(event, lambdaContext)) as { statusCode: number; headers: Record<string, string>; body: string };
  return { statusCode: out.statusCode, headers: out.headers, raw: out.body, body: out.body ? JSON.parse(out.body) : undefined };
}
