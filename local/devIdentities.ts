/**
 * Development identities for the local API server, which plays API Gateway's Cognito authorizer.
 *
 * For every province of functions/shared/provinces.ts there are two bearer tokens:
 *   dev-staff-<code>        a review officer of that province (group "staff"),          staffId staff.<code>.1
 *   dev-supervisor-<code>   a supervisor of that province (groups "staff,supervisor"),   staffId staff.<code>.2
 * e.g. `Authorization: Bearer dev-staff-79`. They exist only locally: in AWS the tokens are Cognito ID tokens.
 *
 * And one bearer token per API consumer (the calling systems of the public routes), with the claims of the Cognito
 * ACCESS token its app client gets from the client-credentials grant in AWS (every service scope):
 *   dev-consumer-portal     consumer "portal" (Cổng Dịch vụ công quốc gia, the national public-service portal)
 *   dev-consumer-vssid      consumer "vssid"  (the VssID app)
 * The claims have the shape the Cognito authorizer hands to the handlers (`requestContext.authorizer.claims`).
 */
import { createHash } from 'node:crypto';
import { provinces } from '../functions/shared/provinces';
import type { StaffRole } from '../functions/shared/http';
import { ANY_SERVICE_SCOPE } from '../functions/catalog';

export interface DevIdentity {
  /** The bearer token (`dev-staff-79`). */
  token: string;
  /** `cognito:username` (`staff.79.1`). */
  staffId: string;
  /** Display name (Vietnamese). */
  name: string;
  provinceCode: string;
  provinceName: string;
  roles: StaffRole[];
}

/** Claims as API Gateway's Cognito authorizer passes them (REST API: all strings, groups comma-separated). */
export interface DevClaims {
  sub: string;
  'cognito:username': string;
  name: string;
  'custom:province': string;
  'cognito:groups': string;
  token_use: 'id';
  [claim: string]: string;
}

const familyNames = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const staffGivenNames = ['Thị Lan', 'Văn Minh', 'Thị Hương', 'Đức Anh', 'Thu Trang', 'Quốc Bảo', 'Thị Mai', 'Hoàng Nam', 'Ngọc Ánh', 'Thanh Tùng', 'Minh Thư'];
const supervisorGivenNames = ['Văn Hùng', 'Thị Hồng', 'Quang Huy', 'Thị Thu Hà', 'Đình Khoa', 'Bích Ngọc', 'Hữu Phước', 'Kim Oanh', 'Trọng Nghĩa'];

/** A stable UUID-shaped `sub` per staff member (Cognito's sub is a UUID). */
function subFor(staffId: string): string {
  const h = createHash('sha256').update(`dev-identity:${staffId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

let cached: DevIdentity[] | undefined;

/** Every dev identity: two per province (staff, supervisor), in the order of the province list. */
export function devIdentities(): DevIdentity[] {
  cached ??= provinces.flatMap((p, i) => [
    {
      token: `dev-staff-${p.code}`,
      staffId: `staff.${p.code}.1`,
      name: `${familyNames[i % familyNames.length]} ${staffGivenNames[i % staffGivenNames.length]}`,
      provinceCode: p.code,
      provinceName: p.name,
      roles: ['staff'] as StaffRole[],
    },
    {
      token: `dev-supervisor-${p.code}`,
      staffId: `staff.${p.code}.2`,
      name: `${familyNames[(i + 7) % familyNames.length]} ${supervisorGivenNames[i % supervisorGivenNames.length]}`,
      provinceCode: p.code,
      provinceName: p.name,
      roles: ['staff', 'supervisor'] as StaffRole[],
    },
  ]);
  return cached.map((d) => ({ ...d, roles: [...d.roles] }));
}

/** The authorizer claims of a dev identity. */
export function claimsOf(identity: DevIdentity): DevClaims {
  return {
    sub: subFor(identity.staffId),
    'cognito:username': identity.staffId,
    name: identity.name,
    'custom:province': identity.provinceCode,
    'cognito:groups': identity.roles.join(','),
    token_use: 'id',
  };
}

/** Claims for a bearer token, or null when it is not a dev token (→ 401). */
export function claimsForToken(token: string | undefined | null, identities: DevIdentity[] = devIdentities()): DevClaims | null {
  if (!token) return null;
  const identity = identities.find((d) => d.token === token);
  return identity ? claimsOf(identity) : null;
}

export interface DevConsumer {
  /** The bearer token (`dev-consumer-portal`). */
  token: string;
  /** The stable consumer name the handlers see (CONSUMER_CLIENTS maps the client id to it). */
  consumerId: string;
  /** The (dev) Cognito app client id. */
  clientId: string;
  name: string;
  scopes: string[];
}

/** Claims of a Cognito access token from the client-credentials grant (REST API authorizer: all strings). */
export interface ConsumerClaims {
  sub: string;
  client_id: string;
  scope: string;
  token_use: 'access';
  [claim: string]: string;
}

/** The dev consumers: each holds every service scope. */
export function devConsumers(): DevConsumer[] {
  return [
    { token: 'dev-consumer-portal', consumerId: 'portal', clientId: 'dev-client-portal', name: 'Cổng Dịch vụ công quốc gia (national portal)', scopes: [...ANY_SERVICE_SCOPE] },
    { token: 'dev-consumer-vssid', consumerId: 'vssid', clientId: 'dev-client-vssid', name: 'VssID', scopes: [...ANY_SERVICE_SCOPE] },
  ];
}

/** CONSUMER_CLIENTS for the dev consumers (app client id → consumer name), as the stack sets it in AWS. */
export function devConsumerClientsEnv(consumers: DevConsumer[] = devConsumers()): string {
  return JSON.stringify(Object.fromEntries(consumers.map((c) => [c.clientId, c.consumerId])));
}

/** Access-token claims for a dev consumer token, or null when it is not one (→ 401; a staff token is not one). */
export function consumerClaimsForToken(token: string | undefined | null, consumers: DevConsumer[] = devConsumers()): ConsumerClaims | null {
  const consumer = token ? consumers.find((c) => c.token === token) : undefined;
  if (!consumer) return null;
  return { sub: consumer.clientId, client_id: consumer.clientId, scope: consumer.scopes.join(' '), token_use: 'access' };
}
