/**
 * Exact DynamoDB capacity audit for the bench (installed on `dynamo().middlewareStack` in the bench system
 * process only; never in a handler's bundle).
 *
 * Why: DynamoDB Local's ReturnConsumedCapacity under-reports TransactWriteItems (per table it reports one
 * item's units) and does not apply the before/after rule of updates, so the bench recomputes every call's units
 * from DynamoDB's published rules, from the items themselves:
 *
 * - Item size: UTF-8 bytes of every attribute name + its value; String = UTF-8 bytes; Number ≈ 1 byte per two
 *   significant digits + 1; Binary = bytes; Boolean/Null = 1; List/Map = 3 bytes + 1 byte per element (+ the
 *   element's name for a Map); sets = the sum of their elements.
 * - Writes: 1 WRU per started KB (1,024 bytes), minimum 1. PutItem / UpdateItem: the larger of the item before
 *   and after; DeleteItem: the item before. A write whose condition fails still consumes (the existing item's
 *   size, minimum 1). In TransactWriteItems every action costs twice (prepare + commit), a ConditionCheck
 *   included (counted as a write of the checked item: assumption). A cancelled transaction is counted as if its
 *   actions had been written (assumption; reported separately as `cancelledTransactions`).
 * - Global secondary indexes: per write and per GSI, the index entry (the projected attributes plus the table
 *   and index keys; ALL = the whole item) before and after: a new entry = 1 put, a removed one = 1 delete, a
 *   changed index key = delete + put, a changed projected attribute = 1 update (the larger entry); an unchanged
 *   entry costs nothing. Standard (×1) units, also inside a transaction (assumption).
 * - Reads: 4 KB per RRU; eventually consistent ½; TransactGetItems ×2. GetItem of a missing item: the minimum
 *   (½ or 1). Query/Scan: the sum of the sizes of the items read (before any filter and projection, so the
 *   audit re-runs a filtered or projected page without them), rounded up to 4 KB once per page.
 *
 * The before/after images are read with a separate raw DynamoDBClient (strongly consistent, not metered, not
 * audited). Those reads take time inside the handler's invocation: it is subtracted from the invocation's
 * measured duration (`invocationMeter.excludeFromCurrentInvocation`), so Lambda GB-seconds are not inflated;
 * API latency still includes it (said in the bench output). Concurrent writes to the same item between the
 * before-read and the write would be mis-sized; the bench gives every application its own household/person.
 */
import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
  type AttributeValue,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';
import { invocationMeter } from '../functions/shared/invocationMeter';

type Item = Record<string, AttributeValue>;

export interface TableAudit {
  readUnits: number;
  writeUnits: number;
  /** Of writeUnits: the GSI entries' share. */
  indexWriteUnits: number;
  /** Calls by command name (a transaction counts once per table it touches). */
  calls: Record<string, number>;
}

export interface CapacityAuditSnapshot {
  readUnits: number;
  writeUnits: number;
  byTable: Record<string, TableAudit>;
  cancelledTransactions: number;
  failedConditionalWrites: number;
  /** Time the audit's own reads took (ms; excluded from Lambda durations). */
  auditMs: number;
}

interface TableShape {
  keys: string[];
  indexes: { name: string; keys: string[]; projection: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; include: string[] }[];
}

// ---------------------------------------------------------------- item size

function numberSize(n: string): number {
  // Only the significant digits count: sign, exponent, decimal point, leading and trailing zeros do not.
  const digits = n.replace(/^[-+]/, '').toLowerCase().split('e')[0].replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

function utf8(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

export function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return (v.B as Uint8Array).byteLength ?? 0;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((a, s) => a + utf8(s), 0);
  if (v.NS) return v.NS.reduce((a, s) => a + numberSize(s), 0);
  if (v.BS) return v.BS.reduce((a, b) => a + b.byteLength, 0);
  if (v.L) return 3 + v.L.reduce((a, e) => a + 1 + valueSize(e), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((a, [k, e]) => a + 1 + utf8(k) + valueSize(e), 0);
  return 0;
}

export function itemSize(item: Item | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((a, [k, v]) => a + utf8(k) + valueSize(v), 0);
}

/** The same size for an item as the document client returns it (unmarshalled: strings, numbers, Sets …). */
function nativeValueSize(v: unknown): number {
  if (typeof v === 'string') return utf8(v);
  if (typeof v === 'number' || typeof v === 'bigint') return numberSize(String(v));
  if (typeof v === 'boolean' || v === null || v === undefined) return 1;
  if (v instanceof Uint8Array) return v.byteLength;
  if (v instanceof Set) return [...v].reduce((a: number, e) => a + (typeof e === 'string' ? utf8(e) : e instanceof Uint8Array ? e.byteLength : numberSize(String(e))), 0);
  if (Array.isArray(v)) return 3 + v.reduce((a: number, e) => a + 1 + nativeValueSize(e), 0);
  if (typeof v === 'object') {
    const value = (v as { value?: unknown }).value;
    if (v.constructor?.name === 'NumberValue' && typeof value === 'string') return numberSize(value);
    return 3 + Object.entries(v as Record<string, unknown>).reduce((a, [k, e]) => a + 1 + utf8(k) + nativeValueSize(e), 0);
  }
  return 0;
}

/** Item size of an unmarshalled item (the document client's output, seen at the 'build' step). */
export function nativeItemSize(item: Record<string, unknown> | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((a, [k, v]) => a + utf8(k) + nativeValueSize(v), 0);
}

const writeUnitsOf = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
const readUnitsOf = (bytes: number, consistent: boolean) => Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);

// ---------------------------------------------------------------- the audit

export interface CapacityAudit {
  /** Off: calls pass untouched (the review-queue timings of the bench's section 3). */
  setEnabled(on: boolean): void;
  snapshot(): CapacityAuditSnapshot;
  reset(): void;
}

/**
 * Installs the audit on a DynamoDB client's middleware stack (`dynamo().middlewareStack`: the document client
 * shares its client's stack). `endpoint`: where the raw reads go (DynamoDB Local).
 */
export function installCapacityAudit(stack: { add: (...args: any[]) => void }, endpoint: string): CapacityAudit {
  const raw = new DynamoDBClient({ endpoint, maxAttempts: 4 });
  const shapes = new Map<string, Promise<TableShape>>();
  let state = fresh();

  function fresh(): CapacityAuditSnapshot {
    return { readUnits: 0, writeUnits: 0, byTable: {}, cancelledTransactions: 0, failedConditionalWrites: 0, auditMs: 0 };
  }
  function table(name: string): TableAudit {
    return (state.byTable[name] ??= { readUnits: 0, writeUnits: 0, indexWriteUnits: 0, calls: {} });
  }
  function addRead(name: string, units: number) {
    table(name).readUnits += units;
    state.readUnits += units;
  }
  const debug = process.env.BENCH_AUDIT_DEBUG === '1';
  function trace(line: string) {
    if (debug) writeSync(2, `[capacity audit] ${line}\n`); // fd 2 directly: the bench system captures process.stderr
  }
  function addWrite(name: string, units: number, indexUnits: number) {
    const t = table(name);
    t.writeUnits += units + indexUnits;
    t.indexWriteUnits += indexUnits;
    state.writeUnits += units + indexUnits;
  }
  function call(name: string, command: string) {
    const t = table(name);
    t.calls[command] = (t.calls[command] ?? 0) + 1;
  }

  /** Time spent in the audit's own reads: counted, and not the invocation's. */
  async function timed<T>(work: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await work();
    } finally {
      const ms = performance.now() - t;
      state.auditMs += ms;
      invocationMeter.excludeFromCurrentInvocation(ms);
    }
  }

  function shapeOf(tableName: string): Promise<TableShape> {
    let s = shapes.get(tableName);
    if (!s) {
      s = raw.send(new DescribeTableCommand({ TableName: tableName })).then(({ Table }) => ({
        keys: (Table?.KeySchema ?? []).map((k) => k.AttributeName!),
        indexes: (Table?.GlobalSecondaryIndexes ?? []).map((g) => ({
          name: g.IndexName!,
          keys: (g.KeySchema ?? []).map((k) => k.AttributeName!),
          projection: (g.Projection?.ProjectionType ?? 'ALL') as 'ALL' | 'KEYS_ONLY' | 'INCLUDE',
          include: g.Projection?.NonKeyAttributes ?? [],
        })),
      }));
      s.catch(() => shapes.delete(tableName));
      shapes.set(tableName, s);
    }
    return s;
  }

  async function getRaw(tableName: string, key: Item): Promise<Item | undefined> {
    const out = await raw.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    return out.Item;
  }

  function keyOf(shape: TableShape, item: Item): Item {
    return Object.fromEntries(shape.keys.map((k) => [k, item[k]]));
  }

  function indexEntry(shape: TableShape, index: TableShape['indexes'][number], item: Item | undefined): Item | undefined {
    if (!item || index.keys.some((k) => item[k] === undefined)) return undefined; // sparse index: no entry
    if (index.projection === 'ALL') return item;
    const names = new Set([...shape.keys, ...index.keys, ...(index.projection === 'INCLUDE' ? index.include : [])]);
    return Object.fromEntries(Object.entries(item).filter(([k]) => names.has(k)));
  }

  const same = (a: unknown, b: unknown) => JSON.stringify(sortDeep(a)) === JSON.stringify(sortDeep(b));

  function indexUnits(shape: TableShape, before: Item | undefined, after: Item | undefined): number {
    let units = 0;
    for (const index of shape.indexes) {
      const b = indexEntry(shape, index, before);
      const a = indexEntry(shape, index, after);
      if (!b && !a) continue;
      if (!b) units += writeUnitsOf(itemSize(a));
      else if (!a) units += writeUnitsOf(itemSize(b));
      else if (!same(index.keys.map((k) => b[k]), index.keys.map((k) => a[k]))) units += writeUnitsOf(itemSize(b)) + writeUnitsOf(itemSize(a));
      else if (!same(b, a)) units += writeUnitsOf(Math.max(itemSize(a), itemSize(b)));
    }
    return units;
  }

  interface WriteAction {
    kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
    tableName: string;
    key: Item;
    item?: Item;
  }

  /** Before-images, then the call, then after-images; units per action. */
  async function auditWrites(actions: WriteAction[], transactional: boolean, run: () => Promise<unknown>, command: string) {
    const befores = await timed(() => Promise.all(actions.map((a) => getRaw(a.tableName, a.key))));
    let failed = false;
    let result: unknown;
    try {
      result = await run();
    } catch (error) {
      failed = true;
      const name = (error as Error)?.name;
      if (name === 'TransactionCanceledException') state.cancelledTransactions++;
      else if (name === 'ConditionalCheckFailedException') state.failedConditionalWrites++;
      else throw error; // not a write that happened (throttling, validation): nothing consumed
      result = error;
    }
    const afters = failed
      ? befores
      : await timed(() =>
          Promise.all(
            actions.map((a, i) =>
              a.kind === 'Put' ? Promise.resolve(a.item) : a.kind === 'Delete' ? Promise.resolve(undefined) : a.kind === 'ConditionCheck' ? Promise.resolve(befores[i]) : getRaw(a.tableName, a.key),
            ),
          ),
        );
    const factor = transactional ? 2 : 1;
    const tablesTouched = new Set<string>();
    for (const [i, a] of actions.entries()) {
      const shape = await shapeOf(a.tableName);
      const before = befores[i];
      const after = afters[i];
      const bytes = a.kind === 'Delete' || a.kind === 'ConditionCheck' ? itemSize(before) : Math.max(itemSize(before), itemSize(after));
      const gsi = failed || a.kind === 'ConditionCheck' ? 0 : indexUnits(shape, before, after);
      addWrite(a.tableName, factor * writeUnitsOf(bytes), gsi);
      trace(`${command} ${a.kind} ${a.tableName} before=${itemSize(before)}B after=${itemSize(after)}B units=${factor * writeUnitsOf(bytes)} gsi=${gsi} failed=${failed} reported=${JSON.stringify((result as any)?.output?.ConsumedCapacity ?? null)}`);
      tablesTouched.add(a.tableName);
    }
    for (const t of tablesTouched) call(t, command);
    if (failed) throw result;
    return result;
  }

  async function auditQuery(command: 'QueryCommand' | 'ScanCommand', input: QueryCommandInput & ScanCommandInput, output: { Items?: Record<string, unknown>[] }) {
    const consistent = input.ConsistentRead === true;
    let bytes = (output.Items ?? []).reduce((a, it) => a + nativeItemSize(it), 0);
    let count = output.Items?.length ?? 0;
    const trimmed = input.FilterExpression !== undefined || input.ProjectionExpression !== undefined || input.Select === 'COUNT' || input.Select === 'SPECIFIC_ATTRIBUTES' || input.AttributesToGet !== undefined;
    if (trimmed) {
      const { FilterExpression: _f, ProjectionExpression: _p, Select: _s, AttributesToGet: _a, ReturnConsumedCapacity: _r, ...rest } = input;
      // Expression values/names only used by the removed expressions would be rejected: keep what the key condition uses.
      const used = `${rest.KeyConditionExpression ?? ''}`;
      const names = rest.ExpressionAttributeNames && Object.fromEntries(Object.entries(rest.ExpressionAttributeNames).filter(([k]) => used.includes(k)));
      const values = rest.ExpressionAttributeValues && Object.fromEntries(Object.entries(rest.ExpressionAttributeValues).filter(([k]) => used.includes(k)));
      const again = { ...rest, ExpressionAttributeNames: names && Object.keys(names).length ? names : undefined, ExpressionAttributeValues: values && Object.keys(values).length ? values : undefined };
      const out = await timed(() => raw.send(command === 'QueryCommand' ? new QueryCommand(again) : new ScanCommand(again)));
      bytes = (out.Items ?? []).reduce((a, it) => a + itemSize(it), 0);
      count = out.Items?.length ?? 0;
    }
    addRead(input.TableName!, readUnitsOf(bytes, consistent));
    trace(`${command} ${input.TableName} items=${count} bytes=${bytes} consistent=${consistent} trimmed=${trimmed} units=${readUnitsOf(bytes, consistent)} reported=${JSON.stringify((output as any).ConsumedCapacity ?? null)}`);
    call(input.TableName!, command);
  }

  let enabled = true;
  stack.add(
    (rawNext: (args: any) => Promise<any>, context: { commandName?: string }) => async (args: { input: any }) => {
      const command = context.commandName ?? '';
      const input = args.input;
      if (!enabled) return rawNext(args);
      // The real call's time is noted as a DynamoDB wait of the invocation (the bench models AWS latency with it).
      const next = async (a: unknown) => {
        const end = invocationMeter.beginWaitInCurrentInvocation();
        try {
          return await rawNext(a);
        } finally {
          end();
        }
      };
      switch (command) {
        case 'PutItemCommand': {
          const shape = await shapeOf(input.TableName);
          return auditWrites([{ kind: 'Put', tableName: input.TableName, key: keyOf(shape, input.Item), item: input.Item }], false, () => next(args), command);
        }
        case 'UpdateItemCommand':
        case 'DeleteItemCommand':
          return auditWrites([{ kind: command === 'UpdateItemCommand' ? 'Update' : 'Delete', tableName: input.TableName, key: input.Key }], false, () => next(args), command);
        case 'BatchWriteItemCommand': {
          const actions: WriteAction[] = [];
          for (const [tableName, requests] of Object.entries(input.RequestItems ?? {}) as [string, any[]][]) {
            const shape = await shapeOf(tableName);
            for (const r of requests) {
              if (r.PutRequest) actions.push({ kind: 'Put', tableName, key: keyOf(shape, r.PutRequest.Item), item: r.PutRequest.Item });
              else if (r.DeleteRequest) actions.push({ kind: 'Delete', tableName, key: r.DeleteRequest.Key });
            }
          }
          return auditWrites(actions, false, () => next(args), command);
        }
        case 'TransactWriteItemsCommand': {
          const actions: WriteAction[] = [];
          for (const t of input.TransactItems ?? []) {
            if (t.Put) {
              const shape = await shapeOf(t.Put.TableName);
              actions.push({ kind: 'Put', tableName: t.Put.TableName, key: keyOf(shape, t.Put.Item), item: t.Put.Item });
            } else if (t.Update) actions.push({ kind: 'Update', tableName: t.Update.TableName, key: t.Update.Key });
            else if (t.Delete) actions.push({ kind: 'Delete', tableName: t.Delete.TableName, key: t.Delete.Key });
            else if (t.ConditionCheck) actions.push({ kind: 'ConditionCheck', tableName: t.ConditionCheck.TableName, key: t.ConditionCheck.Key });
          }
          return auditWrites(actions, true, () => next(args), command);
        }
        case 'GetItemCommand': {
          const result = await next(args);
          // The output is already unmarshalled here (the document client's DocumentUnmarshall sits below).
          const item = result.output?.Item as Record<string, unknown> | undefined;
          // A projected GetItem is billed on the whole item.
          const size = item && input.ProjectionExpression ? itemSize(await timed(() => getRaw(input.TableName, input.Key))) : nativeItemSize(item);
          addRead(input.TableName, readUnitsOf(size, input.ConsistentRead === true));
          trace(`GetItem ${input.TableName} size=${size}B consistent=${input.ConsistentRead === true} units=${readUnitsOf(size, input.ConsistentRead === true)} reported=${JSON.stringify(result.output?.ConsumedCapacity ?? null)}`);
          call(input.TableName, command);
          return result;
        }
        case 'BatchGetItemCommand': {
          const result = await next(args);
          for (const [tableName, items] of Object.entries(result.output?.Responses ?? {}) as [string, Record<string, unknown>[]][]) {
            const consistent = input.RequestItems?.[tableName]?.ConsistentRead === true;
            for (const it of items) addRead(tableName, readUnitsOf(nativeItemSize(it), consistent));
            trace(`BatchGetItem ${tableName} items=${items.length} sizes=${items.map(nativeItemSize).join(',')} consistent=${consistent} reported=${JSON.stringify(result.output?.ConsumedCapacity ?? null)}`);
            call(tableName, command);
          }
          return result;
        }
        case 'TransactGetItemsCommand': {
          const result = await next(args);
          (input.TransactItems ?? []).forEach((t: any, i: number) => {
            const it = result.output?.Responses?.[i]?.Item as Record<string, unknown> | undefined;
            addRead(t.Get.TableName, 2 * readUnitsOf(nativeItemSize(it), true));
            call(t.Get.TableName, command);
          });
          return result;
        }
        case 'QueryCommand':
        case 'ScanCommand': {
          const result = await next(args);
          await auditQuery(command, input, result.output ?? {});
          return result;
        }
        default:
          return next(args);
      }
    },
    // 'build': after the document client's marshalling (AttributeValues in, AttributeValues out).
    { step: 'build', name: 'benchCapacityAudit' },
  );

  return {
    setEnabled: (on: boolean) => {
      enabled = on;
    },
    snapshot: () => JSON.parse(JSON.stringify(state)) as CapacityAuditSnapshot,
    reset: () => {
      state = fresh();
    },
  };
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sortDeep(v)]));
  }
  return value;
}
