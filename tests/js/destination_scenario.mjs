// The Kinesis streaming destination through the AWS SDK for JavaScript v3: the DynamoDB client
// creates a table and enables a destination to a Kinesis stream, writes, updates and deletes an
// item; @aws-sdk/client-kinesis, always over HTTP/2 (NodeHttp2Handler speaks only h2: h2c with
// prior knowledge on an http:// endpoint), reads the records back and checks their JSON.
// Driven by tests/integration/dynamodb/test_js_sdk.py; prints {"ok": true, ...} as its last line.
import { setTimeout as sleep } from 'node:timers/promises';

const {
  DynamoDBClient,
  CreateTableCommand,
  DescribeTableCommand,
  EnableKinesisStreamingDestinationCommand,
  DescribeKinesisStreamingDestinationCommand,
  PutItemCommand,
  UpdateItemCommand,
  DeleteItemCommand,
} = await import('@aws-sdk/client-dynamodb');
const {
  KinesisClient,
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  GetShardIteratorCommand,
  GetRecordsCommand,
} = await import('@aws-sdk/client-kinesis');
const { NodeHttp2Handler } = await import('@smithy/node-http-handler');

const [endpoint] = process.argv.slice(2);
if (!endpoint) {
  console.error('usage: node destination_scenario.mjs <endpoint>');
  process.exit(2);
}
const common = {
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDTRIBUTARYJS', secretAccessKey: 'tributary-js-secret' },
  maxAttempts: 1,
};
const dynamodb = new DynamoDBClient(common);
const kinesis = new KinesisClient({
  ...common,
  requestHandler: new NodeHttp2Handler({ requestTimeout: 10_000, sessionTimeout: 20_000 }),
});

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function until(what, probe) {
  for (let i = 0; i < 200; i += 1) {
    const value = await probe();
    if (value) return value;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const watchdog = setTimeout(() => {
  console.error('no result within 60 s');
  process.exit(1);
}, 60_000);

try {
  const suffix = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const streamName = `js-destination-${suffix}`;
  const tableName = `js-destination-${suffix}`;
  await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 2 }));
  const summary = await until('the stream', async () => {
    const s = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName })))
      .StreamDescriptionSummary;
    return s.StreamStatus === 'ACTIVE' && s;
  });
  await dynamodb.send(new CreateTableCommand({
    TableName: tableName,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  await until('the table', async () =>
    (await dynamodb.send(new DescribeTableCommand({ TableName: tableName }))).Table.TableStatus ===
    'ACTIVE');
  const enabled = await dynamodb.send(new EnableKinesisStreamingDestinationCommand({
    TableName: tableName,
    StreamArn: summary.StreamARN,
    EnableKinesisStreamingConfiguration: { ApproximateCreationDateTimePrecision: 'MICROSECOND' },
  }));
  check(enabled.DestinationStatus === 'ENABLING', `Enable answered ${enabled.DestinationStatus}`);
  await until('an ACTIVE destination', async () => {
    const d = await dynamodb.send(
      new DescribeKinesisStreamingDestinationCommand({ TableName: tableName }));
    return d.KinesisDataStreamDestinations[0]?.DestinationStatus === 'ACTIVE';
  });

  await dynamodb.send(new PutItemCommand({
    TableName: tableName, Item: { pk: { S: 'js' }, n: { N: '1' } },
  }));
  await dynamodb.send(new UpdateItemCommand({
    TableName: tableName, Key: { pk: { S: 'js' } }, UpdateExpression: 'ADD n :one',
    ExpressionAttributeValues: { ':one': { N: '1' } },
  }));
  await dynamodb.send(new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: 'js' } } }));

  const shards = (await kinesis.send(new ListShardsCommand({ StreamName: streamName }))).Shards;
  const records = await until('three records', async () => {
    const found = [];
    for (const shard of shards) {
      let iterator = (await kinesis.send(new GetShardIteratorCommand({
        StreamName: streamName, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON',
      }))).ShardIterator;
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
      found.push(...page.Records);
    }
    return found.length >= 3 && found;
  });
  check(records.length === 3, `${records.length} records`);
  const documents = records.map((r) => JSON.parse(new TextDecoder().decode(r.Data)));
  check(JSON.stringify(documents.map((d) => d.eventName)) === '["INSERT","MODIFY","REMOVE"]',
    `events ${documents.map((d) => d.eventName)}`);
  check(new Set(records.map((r) => r.PartitionKey)).size === 1, 'partition keys differ');
  for (const d of documents) {
    check(Object.keys(d).join() ===
      'awsRegion,eventID,eventName,userIdentity,recordFormat,tableName,dynamodb,eventSource',
    `members ${Object.keys(d)}`);
    check(d.tableName === tableName && d.userIdentity === null, 'tableName or userIdentity');
    check(String(d.dynamodb.ApproximateCreationDateTime).length === 16, 'not microseconds');
  }
  check(documents[1].dynamodb.OldImage.n.N === '1' && documents[1].dynamodb.NewImage.n.N === '2',
    'MODIFY images');
  clearTimeout(watchdog);
  console.log(JSON.stringify({ ok: true, records: records.length }));
  process.exit(0);
} catch (error) {
  console.error(`destination scenario failed: ${error?.name ?? 'Error'}: ${error?.message ?? error}`);
  process.exit(1);
}
