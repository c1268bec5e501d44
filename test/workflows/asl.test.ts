/**
 * Static checks of every ASL file: valid ASL (asl-validator), JSONPath only, every placeholder bound to a
 * catalog function or workflow, every callback wait bounded and caught, every Task caught, every Catch target
 * existing, and the terminal states of services recording an outcome.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { stepFunctionSpecs, workflowSpecs } from '../../functions/catalog';

const require = createRequire(import.meta.url);
const validate = require('asl-validator') as (d: unknown) => { isValid: boolean; errorsText: () => string };

type State = Record<string, any>;
const workflows = Object.entries(workflowSpecs).map(([name, spec]) => ({
  name,
  file: spec.file,
  text: readFileSync(spec.file, 'utf8'),
  definition: JSON.parse(readFileSync(spec.file, 'utf8')) as { States: Record<string, State>; StartAt: string },
}));

const knownPlaceholders = new Set([
  ...Object.values(stepFunctionSpecs).map((s) => s.placeholder),
  ...Object.values(workflowSpecs).map((w) => w.placeholder),
]);

describe.each(workflows)('$file', ({ text, definition }) => {
  it('is valid ASL', () => {
    const result = validate(definition);
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('uses JSONPath only (the local engine runs JSONata wrongly)', () => {
    expect(text).not.toMatch(/"QueryLanguage"\s*:\s*"JSONata"/);
  });

  it('binds every placeholder to a catalog function or workflow', () => {
    const placeholders = [...text.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]);
    expect(placeholders.length).toBeGreaterThan(0);
    for (const p of placeholders) expect(knownPlaceholders, p).toContain(p);
  });

  it('bounds every callback wait with a timeout and catches its expiry', () => {
    const waits = Object.entries(definition.States).filter(([, s]) => String(s.Resource ?? '').endsWith('.waitForTaskToken'));
    for (const [name, state] of waits) {
      expect(state.TimeoutSeconds ?? state.TimeoutSecondsPath, name).toBeDefined();
      const caught = (state.Catch ?? []).flatMap((c: { ErrorEquals: string[] }) => c.ErrorEquals);
      expect(caught, name).toContain('States.Timeout');
      expect(caught, name).toContain('States.ALL');
      expect(JSON.stringify(state.Parameters), name).toContain('"taskToken.$":"$$.Task.Token"');
    }
  });

  it('catches every Task so no failure is silent, and every Catch leads to an existing state', () => {
    for (const [name, state] of Object.entries(definition.States)) {
      if (state.Type !== 'Task') continue;
      const catchers = (state.Catch ?? []) as { ErrorEquals: string[]; Next: string }[];
      expect(catchers.some((c) => c.ErrorEquals.includes('States.ALL')), `${name} catches States.ALL`).toBe(true);
      for (const c of catchers) expect(definition.States[c.Next], `${name} → ${c.Next}`).toBeDefined();
    }
  });
});

describe('household renewal workflow', () => {
  const hr = workflows.find((w) => w.name === 'HouseholdRenewal')!.definition;

  it('runs the Standard states of the service in order: the Express part, the route, the payment wait (3 transitions)', () => {
    const order: string[] = [];
    let current: string | undefined = hr.StartAt;
    while (current && order.length < 30) {
      order.push(current);
      const s: State = hr.States[current];
      current = s.Type === 'Choice' ? s.Choices[0].Next : s.Next;
    }
    // The paid wait is the last state: the payment callback renews the cards and completes the application.
    expect(order).toEqual(['Prepare', 'Route', 'AwaitPayment']);
    expect(hr.States.AwaitPayment.End).toBe(true);
  });

  it('pays for the quote the Express part computed', () => {
    expect(hr.States.AwaitPayment.Parameters.Payload).toMatchObject({
      'quote.$': '$.prepared.output.quote',
      'householdId.$': '$.prepared.output.household.householdId',
      'classification.$': '$.prepared.output.classification',
    });
  });

  it('records a status with a reason before every non-success end', () => {
    const recorders = Object.entries(hr.States).filter(([, s]) => s.Resource === '${RecordOutcomeFunctionArn}');
    const statuses = recorders.map(([, s]) => s.Parameters.status).sort();
    // + RecordCardChanged (FAILED CARD_CHANGED_SINCE_QUOTE) and RecordRenewalInProgress (REJECTED RENEWAL_IN_PROGRESS)
    expect(statuses).toEqual(['EXPIRED', 'EXPIRED', 'FAILED', 'FAILED', 'REJECTED', 'REJECTED', 'REJECTED']);
    for (const [, s] of recorders) {
      expect(s.Parameters['reasonCode'] ?? s.Parameters['reasonCode.$']).toBeTruthy();
    }
  });
});
