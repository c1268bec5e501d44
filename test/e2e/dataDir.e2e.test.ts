/**
 * `npm start -- --data-dir DIR` (startLocalSystem({ dataDir })): DynamoDB Local keeps its data on disk, so a
 * restart on the same directory keeps applications with their timelines, review items and their audit rows and
 * BHXH's records; the tables are kept and the seed is not written over them. An application that was waiting in
 * review when the process stopped (its execution died with the in-memory engine) is ended at start-up by the
 * "no application without an outcome" rule: FAILED WORKFLOW_STOPPED, its review item closed.
 * Each start runs its own DynamoDB Local (a JVM) on the directory; nothing here depends on how long that takes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalSystem, type LocalSystem, type LocalSystemOptions, type StageReport } from '../../local/runtime';
import { outcomeReasonLabel } from '../../functions/domain/reviewReasons';
import { dynamo } from '../../functions/adapters/dynamo';
import { apiClient } from '../support/localSystem';
import { DEMO_NOW, openReviewItemOf, scenarioNamed, submitScenario } from '../support/serviceScenarios';

const STAFF = 'dev-staff-79';
const dataDir = mkdtempSync(path.join(tmpdir(), 'bhxh-data-dir-'));
let system: LocalSystem | undefined;

async function start(reports: StageReport[]): Promise<LocalSystem> {
  const options: LocalSystemOptions = {
    dataDir,
    now: DEMO_NOW,
    retryIntervalMs: 5,
    scheduleEveryMs: 0,
    registryTimeoutHoldMs: 0,
    env: { POPULATION_REGISTRY_TIMEOUT_MS: '10000', POPULATION_REGISTRY_MAX_ATTEMPTS: '2' },
    reporter: { done: (r) => reports.push(r) },
  };
  system = await startLocalSystem(options);
  return system;
}

afterAll(async () => {
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a restart on the same data dir', () => {
  it('keeps applications, timelines, review items, audit rows and records; ends the one that waited in review', async () => {
    // ---- first run: a fresh directory --------------------------------------------------------------------
    const first: StageReport[] = [];
    const one = await start(first);
    expect(one.freshData).toBe(true);
    expect(first.find((r) => r.stage === 'tables')?.note).toBe('created 4');
    expect(first.find((r) => r.stage === 'seed data')?.note).toBe('province 79 written');
    expect(first.some((r) => r.stage === 'interrupted executions')).toBe(false);
    let api = apiClient(one.apiUrl);

    const completedId = await submitScenario(api, scenarioNamed(one, 'UI_WORKED_EXAMPLE'));
    const completed = await api.waitForStatus(completedId, 'COMPLETED');
    const waitingId = await submitScenario(api, scenarioNamed(one, 'UI_NAME_MISMATCH'));
    const waiting = await api.waitForStatus(waitingId, 'IN_REVIEW');
    const item = await openReviewItemOf(api, 'UNEMPLOYMENT_HISTORY', waitingId, STAFF);
    expect((await api.post(`/v1/review-items/${item.itemId}/claim`, {}, STAFF)).status).toBe(200);
    const auditBefore = await api.get(`/v1/review-items/${item.itemId}/audit`, STAFF);
    expect(auditBefore.status).toBe(200);
    // A record changed after the seed: a rewrite of the seed would put the seed's item back over it.
    const cardKey = { personalId: '079078013572', recordType: 'HEALTH_CARD' };
    await dynamo().send(
      new UpdateCommand({
        TableName: one.tables.INSURANCE_RECORDS_TABLE,
        Key: cardKey,
        UpdateExpression: 'SET testMarker = :m',
        ConditionExpression: 'attribute_exists(personalId)',
        ExpressionAttributeValues: { ':m': 'changed after the seed' },
      }),
    );
    await one.eventsDelivered();
    await one.stop();
    system = undefined;

    // ---- second run: the same directory ------------------------------------------------------------------
    const second: StageReport[] = [];
    const two = await start(second);
    expect(two.freshData).toBe(false);
    expect(second.map((r) => r.stage)).toEqual([
      'DynamoDB Local',
      'tables',
      'seed data',
      'registry simulator',
      'Step Functions engine',
      'interrupted executions',
      'API',
    ]);
    expect(second.find((r) => r.stage === 'tables')?.note).toBe('kept (data dir)');
    expect(second.find((r) => r.stage === 'seed data')?.note).toBe('kept from the data dir (not rewritten)');
    expect(two.interrupted?.ended).toEqual([waitingId]);
    api = apiClient(two.apiUrl);

    // The finished application is there exactly as it was.
    const completedAfter = await api.get(`/v1/applications/${completedId}`);
    expect(completedAfter.status).toBe(200);
    expect(completedAfter.body).toEqual(completed);

    // The one that waited in review ended FAILED WORKFLOW_STOPPED; its timeline kept everything before.
    const ended = await api.waitForStatus(waitingId, 'FAILED');
    // (The restart's cause is logged, not shown: the reason's own message is.)
    expect(ended.reason).toEqual({ code: 'WORKFLOW_STOPPED', message: outcomeReasonLabel('WORKFLOW_STOPPED') });
    expect(ended.timeline.slice(0, waiting.timeline.length)).toEqual(waiting.timeline);
    expect(ended.timeline.at(-1)).toMatchObject({ status: 'FAILED', event: 'OUTCOME_RECORDED' });

    // Its review item is closed (no longer open, not claimable) and its audit trail kept, with the closing row.
    const itemAfter = await api.get(`/v1/review-items/${item.itemId}`, STAFF);
    expect(itemAfter.status).toBe(200);
    expect(itemAfter.body.status).not.toBe('OPEN');
    expect(itemAfter.body.status).not.toBe('CLAIMED');
    const open = await api.get('/v1/review-items?status=OPEN&service=UNEMPLOYMENT_HISTORY', STAFF);
    expect(open.body.items.map((i: { itemId: string }) => i.itemId)).not.toContain(item.itemId);
    const auditAfter = await api.get(`/v1/review-items/${item.itemId}/audit`, STAFF);
    expect(auditAfter.status).toBe(200);
    const rowsBefore = auditBefore.body.entries as unknown[];
    const rowsAfter = auditAfter.body.entries as unknown[];
    expect(rowsBefore.length).toBeGreaterThan(0);
    expect(rowsAfter).toEqual(expect.arrayContaining(rowsBefore));
    expect(rowsAfter).toHaveLength(rowsBefore.length + 1);
    const closing = rowsAfter.find((r) => !rowsBefore.some((b) => JSON.stringify(b) === JSON.stringify(r))) as { after?: { status?: string } };
    expect(closing.after?.status).toBe(itemAfter.body.status);

    // BHXH's records kept, not rewritten by the seed.
    const card = await dynamo().send(new GetCommand({ TableName: two.tables.INSURANCE_RECORDS_TABLE, Key: cardKey }));
    expect(card.Item?.testMarker).toBe('changed after the seed');

    // The restarted system works: a new submission runs to its outcome.
    const againId = await submitScenario(api, scenarioNamed(two, 'UI_WORKED_EXAMPLE'), 'after-restart');
    expect((await api.waitForStatus(againId, 'COMPLETED')).result).toEqual(completed.result);
  }, 300_000);
});
