/**
 * The DynamoDB tables of infra/tables.ts (shapes as data, shared with DynamoDB Local).
 * On-demand, point-in-time recovery, AWS-managed encryption, deletion protection, retained on stack deletion:
 * these tables hold citizens' applications and insurance records.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { TableName } from '../../functions/catalog';
import { tableShapes } from '../tables';

const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

export class DataTables extends Construct {
  readonly byName: Record<TableName, dynamodb.Table>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const byName = {} as Record<TableName, dynamodb.Table>;
    for (const shape of tableShapes) {
      const table = new dynamodb.Table(this, shape.logicalName, {
        partitionKey: stringKey(shape.partitionKey),
        sortKey: shape.sortKey ? stringKey(shape.sortKey) : undefined,
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryption.AWS_MANAGED,
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        timeToLiveAttribute: shape.timeToLiveAttribute,
        stream: shape.stream ? dynamodb.StreamViewType.NEW_AND_OLD_IMAGES : undefined,
      });
      for (const gsi of shape.globalSecondaryIndexes) {
        table.addGlobalSecondaryIndex({
          indexName: gsi.indexName,
          partitionKey: stringKey(gsi.partitionKey),
          sortKey: gsi.sortKey ? stringKey(gsi.sortKey) : undefined,
          ...(gsi.projection === 'ALL'
            ? { projectionType: dynamodb.ProjectionType.ALL }
            : gsi.projection === 'KEYS_ONLY'
              ? { projectionType: dynamodb.ProjectionType.KEYS_ONLY }
              : { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...gsi.projection] }),
        });
      }
      byName[shape.logicalName] = table;
    }
    this.byName = byName;
  }
}
