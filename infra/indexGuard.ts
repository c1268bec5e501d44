/**
 * One index change per table per deploy (issue 13 item 6). DynamoDB creates or deletes at most one global
 * secondary index per table update, and CloudFormation fails (and rolls back) a stack update that would do more.
 * infra/deployedIndexes.json records the indexes as last deployed to every province; the synth (infra/app.ts)
 * and a test refuse a change of infra/tables.ts that would create or delete more than one index of a table
 * against it (a changed key or projection is a delete and a create). After a deploy has reached every province:
 *
 *   npx tsx infra/indexGuard.ts --record        # infra/deployedIndexes.json := infra/tables.ts
 *
 * Pure data in, messages out; the file is read only by `readDeployedIndexes`.
 */
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tableShapes, type GsiShape, type TableShape } from './tables';

export type DeployedIndexes = Record<string, Record<string, string>>;

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'deployedIndexes.json');

/** What DynamoDB would have to rebuild if it changed: the keys and the projection. */
export function indexSignature(gsi: GsiShape): string {
  const projection = Array.isArray(gsi.projection) ? `INCLUDE(${[...gsi.projection].sort().join(',')})` : String(gsi.projection);
  return `${gsi.partitionKey}/${gsi.sortKey ?? ''}/${projection}`;
}

export function indexesOf(shapes: TableShape[]): DeployedIndexes {
  return Object.fromEntries(shapes.map((t) => [t.logicalName, Object.fromEntries(t.globalSecondaryIndexes.map((g) => [g.indexName, indexSignature(g)]))]));
}

export interface TableIndexChange {
  table: string;
  created: string[];
  deleted: string[];
}

/** Per table, the indexes a deploy would create and delete (a changed one: both). A new table is free. */
export function indexChanges(deployed: DeployedIndexes, shapes: TableShape[] = tableShapes): TableIndexChange[] {
  const current = indexesOf(shapes);
  return Object.entries(current)
    .filter(([table]) => deployed[table] !== undefined)
    .map(([table, indexes]) => {
      const before = deployed[table]!;
      const created = Object.keys(indexes).filter((n) => before[n] !== indexes[n]);
      const deleted = Object.keys(before).filter((n) => indexes[n] !== before[n]);
      return { table, created, deleted };
    });
}

/** The refusals: a table whose deploy would create or delete more than one index. */
export function indexChangeProblems(changes: TableIndexChange[]): string[] {
  return changes
    .filter((c) => c.created.length + c.deleted.length > 1)
    .map(
      (c) =>
        `table ${c.table}: this deploy would ${[c.created.length ? `create ${c.created.join(', ')}` : '', c.deleted.length ? `delete ${c.deleted.join(', ')}` : '']
          .filter(Boolean)
          .join(' and ')} — DynamoDB takes one index creation or deletion per table update; deploy them one at a time`,
    );
}

export function readDeployedIndexes(): DeployedIndexes {
  return JSON.parse(readFileSync(file, 'utf8')) as DeployedIndexes;
}

/** Throws naming each table when the current shapes are more than one index change away from the deployed ones. */
export function assertOneIndexChangePerTable(deployed: DeployedIndexes = readDeployedIndexes(), shapes: TableShape[] = tableShapes): void {
  const problems = indexChangeProblems(indexChanges(deployed, shapes));
  if (problems.length > 0) {
    throw new Error(`Index changes refused (infra/deployedIndexes.json is what is deployed):\n  - ${problems.join('\n  - ')}`);
  }
}

const isMain = (() => {
  try {
    return !!process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
})();
if (isMain && process.argv.includes('--record')) {
  writeFileSync(file, `${JSON.stringify(indexesOf(tableShapes), null, 2)}\n`);
  process.stdout.write(`wrote ${file}\n`);
}
