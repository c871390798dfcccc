// Runs a DynamoDB scenario of the AWS SDK for JavaScript v3 (@aws-sdk/client-dynamodb and
// @aws-sdk/lib-dynamodb's DocumentClient, default HTTP/1.1 handler) against a Tributary server.
// Driven by tests/integration/dynamodb/test_js_sdk.py; runnable by hand too:
//
//   node tests/js/dynamodb_scenario.mjs http://127.0.0.1:4567
//
// CreateTable with a global and a local secondary index, waitUntilTableExists, DocumentClient
// put/get/delete/batchWrite/batchGet of native JavaScript values (strings, numbers, binaries,
// sets, nested maps and lists, null, booleans), Query on the table and on both indexes, a paged
// Scan, DescribeTable's live counts per table and
// index, ListTables, DeleteTable and waitUntilTableNotExists. On success the last line of
// stdout is {"ok": true, ...}; on a mismatch it prints "dynamodb scenario failed at <step>: ..."
// on stderr and exits 1.
import assert from 'node:assert/strict';

import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';

const endpoint = process.argv[2];
if (!endpoint) {
  console.error('usage: node dynamodb_scenario.mjs <endpoint>');
  process.exit(2);
}

const client = new DynamoDBClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});
const documents = DynamoDBDocumentClient.from(client, {
  marshallOptions: { removeUndefinedValues: true },
});

let step = 'start';
async function run() {
  const table = `js-orders-${process.pid}-${Date.now()}`;
  let requests = 0;
  const send = async (target, command) => {
    requests += 1;
    return target.send(command);
  };

  step = 'CreateTable';
  const created = await send(client, new CreateTableCommand({
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'customer', AttributeType: 'S' },
      { AttributeName: 'order', AttributeType: 'N' },
      { AttributeName: 'placed', AttributeType: 'S' },
      { AttributeName: 'status', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'customer', KeyType: 'HASH' },
      { AttributeName: 'order', KeyType: 'RANGE' },
    ],
    LocalSecondaryIndexes: [{
      IndexName: 'by-placed',
      KeySchema: [
        { AttributeName: 'customer', KeyType: 'HASH' },
        { AttributeName: 'placed', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    }],
    GlobalSecondaryIndexes: [{
      IndexName: 'by-status',
      KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
    }],
  }));
  assert.equal(created.TableDescription.TableStatus, 'CREATING');

  step = 'waitUntilTableExists';
  await waitUntilTableExists({ client, minDelay: 1, maxDelay: 1, maxWaitTime: 30 }, { TableName: table });

  step = 'PutCommand';
  const order = {
    customer: 'ada',
    order: 1,
    placed: '2026-12-01T10:00:00Z',
    status: 'OPEN',
    total: 1234.5678901234567,
    lines: [{ sku: 'tea', quantity: 2 }, { sku: 'cup', quantity: 1, gift: true }],
    tags: new Set(['fragile', 'express']),
    note: null,
    receipt: new Uint8Array([0, 1, 2, 250, 255]),
  };
  await send(documents, new PutCommand({ TableName: table, Item: order }));

  step = 'GetCommand';
  const got = await send(documents, new GetCommand({
    TableName: table, Key: { customer: 'ada', order: 1 }, ConsistentRead: true,
  }));
  assert.equal(got.Item.total, 1234.5678901234567);
  assert.deepEqual(got.Item.lines, order.lines);
  assert.deepEqual([...got.Item.tags].sort(), ['express', 'fragile']);
  assert.equal(got.Item.note, null);
  assert.deepEqual([...got.Item.receipt], [0, 1, 2, 250, 255]);

  step = 'BatchWriteCommand';
  const more = [];
  for (let n = 2; n <= 12; n += 1) {
    more.push({
      PutRequest: {
        Item: {
          customer: n % 2 ? 'ada' : 'bob',
          order: n,
          placed: `2026-12-0${1 + (n % 5)}T00:00:00Z`,
          ...(n % 3 ? { status: 'SHIPPED' } : {}),
          total: n * 10,
        },
      },
    });
  }
  const written = await send(documents, new BatchWriteCommand({ RequestItems: { [table]: more } }));
  assert.deepEqual(written.UnprocessedItems, {});

  step = 'BatchGetCommand';
  const fetched = await send(documents, new BatchGetCommand({
    RequestItems: { [table]: { Keys: [{ customer: 'bob', order: 2 }, { customer: 'ada', order: 3 }] } },
  }));
  assert.equal(fetched.Responses[table].length, 2);
  assert.deepEqual(fetched.UnprocessedKeys, {});

  step = 'DescribeTable';
  const described = (await send(client, new DescribeTableCommand({ TableName: table }))).Table;
  assert.equal(described.ItemCount, 12);
  const gsi = described.GlobalSecondaryIndexes.find((index) => index.IndexName === 'by-status');
  // Sparse: the first order and the 7 of orders 2..12 not divisible by 3 carry a status.
  assert.equal(gsi.ItemCount, 1 + 7);
  const lsi = described.LocalSecondaryIndexes.find((index) => index.IndexName === 'by-placed');
  assert.equal(lsi.ItemCount, 12);

  step = 'QueryCommand (table)';
  const bob = await send(documents, new QueryCommand({
    TableName: table,
    KeyConditionExpression: 'customer = :c AND #o >= :from',
    ExpressionAttributeNames: { '#o': 'order' },
    ExpressionAttributeValues: { ':c': 'bob', ':from': 6 },
    ScanIndexForward: false,
  }));
  assert.deepEqual(bob.Items.map((item) => item.order), [12, 10, 8, 6]);

  step = 'QueryCommand (global index)';
  const shipped = await send(documents, new QueryCommand({
    TableName: table,
    IndexName: 'by-status',
    KeyConditionExpression: '#s = :s',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: { ':s': 'SHIPPED' },
  }));
  assert.equal(shipped.Count, 7);
  for (const item of shipped.Items) {
    // INCLUDE total: the table key, the index key and total, nothing else.
    assert.deepEqual(Object.keys(item).sort(), ['customer', 'order', 'status', 'total']);
  }

  step = 'QueryCommand (local index)';
  const placed = await send(documents, new QueryCommand({
    TableName: table,
    IndexName: 'by-placed',
    KeyConditionExpression: 'customer = :c AND begins_with(placed, :day)',
    ExpressionAttributeValues: { ':c': 'ada', ':day': '2026-12-01' },
  }));
  assert.ok(placed.Items.length >= 1);

  step = 'ScanCommand';
  let scanned = 0;
  let startKey;
  do {
    const page = await send(documents, new ScanCommand({ TableName: table, Limit: 5, ExclusiveStartKey: startKey }));
    scanned += page.Count;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  assert.equal(scanned, 12);

  step = 'DeleteCommand';
  const deleted = await send(documents, new DeleteCommand({
    TableName: table, Key: { customer: 'ada', order: 1 }, ReturnValues: 'ALL_OLD',
  }));
  assert.equal(deleted.Attributes.status, 'OPEN');

  step = 'ListTables';
  const listed = await send(client, new ListTablesCommand({}));
  assert.ok(listed.TableNames.includes(table));

  step = 'DeleteTable';
  await send(client, new DeleteTableCommand({ TableName: table }));
  step = 'waitUntilTableNotExists';
  await waitUntilTableNotExists({ client, minDelay: 1, maxDelay: 1, maxWaitTime: 30 }, { TableName: table });

  console.log(JSON.stringify({ ok: true, sdk_requests: requests }));
}

run().catch((error) => {
  console.error(`dynamodb scenario failed at ${step}: ${error?.stack ?? error}`);
  process.exit(1);
});
