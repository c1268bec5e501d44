import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger for all handlers. Never log a full personal ID: use maskPersonalId. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'bhxh-eservices' });

/** 079203001234 → 079******234 : keeps the birth-registration province and the last three digits. */
export function maskPersonalId(id: string | undefined | null): string {
  if (!id) return '';
  if (id.length <= 6) return '*'.repeat(id.length);
  return id.slice(0, 3) + '*'.repeat(id.length - 6) + id.slice(-3);
}
