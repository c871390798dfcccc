// Reads a DynamoDB stream with the AWS SDK for JavaScript v3 (@aws-sdk/client-dynamodb-streams,
// default HTTP/1.1 handler) against a Tributary server. Driven by
// tests/integration/dynamodb_streams/test_js_sdk.py; runnable by hand too:
//
//   node tests/js/dynamodb_streams_scenario.mjs http://127.0.0.1:4567
//
// CreateTable with a NEW_AND_OLD_IMAGES stream, PutItem / UpdateItem / DeleteItem, then
// ListStreams, DescribeStream, GetShardIterator (TRIM_HORIZON) and GetRecords on every shard:
// the SDK parses the records (INSERT, MODIFY, REMOVE with their images, SequenceNumber,
// SizeBytes, ApproximateCreationDateTime as a Date). On success the last line of stdout is
// {"ok": true, ...}; on a mismatch it prints "streams scenario failed at <step>: ..." on stderr
// and exits 1.
import assert from 'node:assert/strict';

import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-dynamodb-streams';

const endpoint = process.argv[2];
if (!endpoint) {
  console.error('usage: node dynamodb_streams_scenario.mjs <endpoint>');
  process.exit(2);
}

const settings = {
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
};
const dynamodb = new DynamoDBClient(settings);
const streams = new DynamoDBStreamsClient(settings);

let step = 'start';
async function run() {
  const table = `js-stream-${process.pid}-${Date.now()}`;
  let requests = 0;
  const send = async (target, command) => {
    requests += 1;
    return target.send(command);
  };

  step = 'CreateTable';
  const created = await send(dynamodb, new CreateTableCommand({
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }));
  const arn = created.TableDescription.LatestStreamArn;
  assert.match(arn, /:table\/.+\/stream\/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
  step = 'waitUntilTableExists';
  await waitUntilTableExists({ client: dynamodb, minDelay: 1, maxDelay: 1, maxWaitTime: 30 },
    { TableName: table });

  step = 'writes';
  const key = { pk: { S: 'ada' } };
  await send(dynamodb, new PutItemCommand({ TableName: table, Item: { ...key, n: { N: '1' } } }));
  await send(dynamodb, new UpdateItemCommand({
    TableName: table, Key: key, UpdateExpression: 'SET n = :two',
    ExpressionAttributeValues: { ':two': { N: '2' } },
  }));
  await send(dynamodb, new DeleteItemCommand({ TableName: table, Key: key }));

  step = 'ListStreams';
  const listed = await send(streams, new ListStreamsCommand({ TableName: table }));
  assert.deepEqual(listed.Streams.map((s) => s.StreamArn), [arn]);

  step = 'DescribeStream';
  const described = await send(streams, new DescribeStreamCommand({ StreamArn: arn }));
  assert.equal(described.StreamDescription.StreamStatus, 'ENABLED');
  assert.ok(described.StreamDescription.CreationRequestDateTime instanceof Date);
  const shards = described.StreamDescription.Shards;
  assert.ok(shards.length > 0);

  step = 'GetRecords';
  const records = [];
  for (const shard of shards) {
    const { ShardIterator } = await send(streams, new GetShardIteratorCommand({
      StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON',
    }));
    assert.ok(ShardIterator.startsWith(`${arn}|1|`));
    const page = await send(streams, new GetRecordsCommand({ ShardIterator }));
    assert.ok(page.NextShardIterator);
    records.push(...page.Records);
  }
  assert.deepEqual(records.map((r) => r.eventName), ['INSERT', 'MODIFY', 'REMOVE']);
  const [insert, modify, remove] = records.map((r) => r.dynamodb);
  assert.deepEqual(insert.NewImage, { ...key, n: { N: '1' } });
  assert.equal(insert.OldImage, undefined);
  assert.deepEqual(modify.OldImage, { ...key, n: { N: '1' } });
  assert.deepEqual(modify.NewImage, { ...key, n: { N: '2' } });
  assert.deepEqual(remove.OldImage, { ...key, n: { N: '2' } });
  assert.ok(insert.ApproximateCreationDateTime instanceof Date);
  assert.ok(BigInt(insert.SequenceNumber) < BigInt(modify.SequenceNumber));
  assert.equal(insert.SizeBytes, 5 + 8);  // Keys (pk + 'ada') + NewImage (+ n + '1')
  for (const record of records) {
    assert.equal(record.eventSource, 'aws:dynamodb');
    assert.equal(record.eventVersion, '1.1');
    assert.equal(record.awsRegion, 'us-east-1');
    assert.match(record.eventID, /^[0-9a-f]{32}$/);
  }

  step = 'DeleteTable';
  await send(dynamodb, new DeleteTableCommand({ TableName: table }));
  console.log(JSON.stringify({ ok: true, sdk_requests: requests, records: records.length }));
}

run().catch((error) => {
  console.error(`streams scenario failed at ${step}: ${error?.stack ?? error}`);
  process.exit(1);
});
