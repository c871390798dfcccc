// Runs one scenario of the AWS SDK for JavaScript v3 Kinesis client against a Tributary server,
// always through the SDK's HTTP/2 request handler (NodeHttp2Handler). Driven by
// tests/integration/kinesis/test_js_sdk.py; runnable by hand too:
//
//   node tests/js/scenario.mjs http://127.0.0.1:4567 records
//   NODE_EXTRA_CA_CERTS=<data-dir>/tls/cert.pem node tests/js/scenario.mjs https://127.0.0.1:4567 fan-out
//
// Modes:
//   records  CreateStream (2 shards), wait ACTIVE, PutRecord, PutRecords, ListShards,
//            GetShardIterator + GetRecords on every shard (data must come back byte for byte),
//            DeleteStream (wait until ResourceNotFoundException).
//   fan-out  CreateStream, RegisterStreamConsumer, wait ACTIVE via DescribeStreamConsumer,
//            SubscribeToShard at LATEST, put records after subscribing and read them from the
//            event stream (byte for byte), DeregisterStreamConsumer, DeleteStream.
//
// Node's http2 module is instrumented so the run can prove HTTP/2 was used: every session the
// handler opens and every stream on it is counted. On success the last line of stdout is a JSON
// summary ({"ok": true, "sdk_requests": N, "http2_sessions": [...]}); on any mismatch or error
// the script prints "scenario <mode> failed at <step>: ..." on stderr and exits 1.
import crypto from 'node:crypto';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
const http2 = require('node:http2');

// --- HTTP/2 instrumentation (before the SDK is loaded) -------------------------------------

const http2Sessions = [];
const originalConnect = http2.connect;
http2.connect = function instrumentedConnect(authority, ...rest) {
  const session = originalConnect.call(this, authority, ...rest);
  const record = { authority: String(authority), alpnProtocol: null, encrypted: null, streams: 0 };
  http2Sessions.push(record);
  session.once('connect', () => {
    record.alpnProtocol = session.alpnProtocol ?? null;
    record.encrypted = session.encrypted ?? null;
  });
  const originalRequest = session.request;
  session.request = function instrumentedRequest(...args) {
    record.streams += 1;
    return originalRequest.apply(this, args);
  };
  return session;
};
syncBuiltinESMExports();

const {
  KinesisClient,
  CreateStreamCommand,
  DeleteStreamCommand,
  DeregisterStreamConsumerCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  SubscribeToShardCommand,
} = await import('@aws-sdk/client-kinesis');
const { NodeHttp2Handler } = await import('@smithy/node-http-handler');

// --- Arguments and failure reporting -----------------------------------------------------------

const [endpoint, mode] = process.argv.slice(2);
const MODES = ['records', 'fan-out'];
if (!endpoint || !MODES.includes(mode)) {
  console.error(`usage: node scenario.mjs <endpoint> <${MODES.join('|')}>`);
  process.exit(2);
}

const OVERALL_DEADLINE_MS = 25_000;
let currentStep = 'start';

class ScenarioFailure extends Error {}

function check(condition, message) {
  if (!condition) throw new ScenarioFailure(message);
}

function fail(error) {
  const detail =
    error instanceof ScenarioFailure
      ? error.message
      : `${error?.name ?? 'Error'}: ${error?.message ?? error}` +
        (error?.$metadata ? ` (HTTP ${error.$metadata.httpStatusCode})` : '') +
        (error?.cause ? ` [cause: ${error.cause?.code ?? ''} ${error.cause?.message ?? error.cause}]` : '') +
        (error?.code ? ` [code ${error.code}]` : '');
  console.error(`scenario ${mode} failed at ${currentStep}: ${detail}`);
  console.error(`http2 sessions: ${JSON.stringify(http2Sessions)}`);
  process.exit(1);
}

const watchdog = setTimeout(() => {
  fail(new ScenarioFailure(`no result within ${OVERALL_DEADLINE_MS} ms`));
}, OVERALL_DEADLINE_MS);

async function step(name, action) {
  currentStep = name;
  return action();
}

// --- Client --------------------------------------------------------------------------------

const handler = new NodeHttp2Handler({ requestTimeout: 10_000, sessionTimeout: 20_000 });
const client = new KinesisClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDTRIBUTARYJS', secretAccessKey: 'tributary-js-secret' },
  requestHandler: handler,
  maxAttempts: 1,
});

// Counts every attempt the SDK sends (the deserialize step runs once per HTTP request).
let sdkRequests = 0;
client.middlewareStack.add(
  (next) => async (args) => {
    sdkRequests += 1;
    return next(args);
  },
  { step: 'deserialize', name: 'countRequests' },
);

// --- Helpers --------------------------------------------------------------------------------

// Deterministic bytes (a fixed seed), so a failure can be reproduced.
function seededBytes(seed, length) {
  const out = Buffer.alloc(length);
  let filled = 0;
  for (let counter = 0; filled < length; counter += 1) {
    const block = crypto.createHash('sha256').update(`${seed}/${counter}`).digest();
    filled += block.copy(out, filled);
  }
  return out;
}

function sleep(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

async function pollUntil(what, timeoutMs, probe) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await probe();
    if (result) return result;
    check(Date.now() < deadline, `${what}: not reached within ${timeoutMs} ms`);
    await sleep(100);
  }
}

function sameBytes(actual, expected) {
  return actual instanceof Uint8Array && Buffer.compare(Buffer.from(actual), expected) === 0;
}

function describeBytes(bytes) {
  const buffer = Buffer.from(bytes ?? []);
  return `${buffer.length} bytes ${buffer.subarray(0, 16).toString('hex')}...`;
}

async function waitForStreamStatus(streamName, status) {
  return pollUntil(`stream ${streamName} ${status}`, 10_000, async () => {
    const answer = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    const summary = answer.StreamDescriptionSummary;
    return summary.StreamStatus === status ? summary : null;
  });
}

async function deleteStreamAndWait(streamName, extra = {}) {
  await step('DeleteStream', () =>
    client.send(new DeleteStreamCommand({ StreamName: streamName, ...extra })),
  );
  await step('DescribeStreamSummary until ResourceNotFoundException', () =>
    pollUntil(`stream ${streamName} gone`, 10_000, async () => {
      try {
        await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
        return false;
      } catch (error) {
        check(
          error.name === 'ResourceNotFoundException',
          `expected ResourceNotFoundException after DeleteStream, got ${error.name}: ${error.message}`,
        );
        check(error.$metadata?.httpStatusCode === 400, 'ResourceNotFoundException must be HTTP 400');
        return true;
      }
    }),
  );
}

// Records the caller expects back: {sequenceNumber, shardId, partitionKey, data}.
function checkRecordsMatch(expected, received, where) {
  const bySequence = new Map(received.map((record) => [record.SequenceNumber, record]));
  check(
    received.length === expected.length,
    `${where}: expected ${expected.length} records, got ${received.length} ` +
      `(${received.map((r) => r.SequenceNumber).join(', ')})`,
  );
  for (const want of expected) {
    const got = bySequence.get(want.sequenceNumber);
    check(got, `${where}: record ${want.sequenceNumber} (key ${want.partitionKey}) missing`);
    check(
      sameBytes(got.Data, want.data),
      `${where}: record ${want.sequenceNumber} data differs: sent ${describeBytes(want.data)}, ` +
        `got ${describeBytes(got.Data)}`,
    );
    check(
      got.PartitionKey === want.partitionKey,
      `${where}: record ${want.sequenceNumber} partition key ${got.PartitionKey} != ${want.partitionKey}`,
    );
    check(
      got.ApproximateArrivalTimestamp instanceof Date &&
        Math.abs(got.ApproximateArrivalTimestamp.getTime() - Date.now()) < 120_000,
      `${where}: record ${want.sequenceNumber} ApproximateArrivalTimestamp ` +
        `${got.ApproximateArrivalTimestamp} is not a recent Date`,
    );
  }
  // Within a shard, records come back in sequence-number order.
  const order = received.map((record) => BigInt(record.SequenceNumber));
  for (let index = 1; index < order.length; index += 1) {
    check(order[index - 1] < order[index], `${where}: records not in sequence-number order`);
  }
}

// The records both modes put: one PutRecord (every byte value) and a PutRecords batch of
// assorted sizes (up to 64 KiB), one of them routed by ExplicitHashKey.
function recordsToPut(tag) {
  const single = { partitionKey: `${tag}-single`, data: Buffer.from([...Array(256).keys()]) };
  const batch = [
    { partitionKey: `${tag}-a`, data: Buffer.from([0]) },
    { partitionKey: `${tag}-b`, data: seededBytes(`${tag}-b`, 17) },
    { partitionKey: `${tag}-c`, data: Buffer.from('h\u00e9llo, \u{1F30A} tributary\r\n\u0000', 'utf8') },
    { partitionKey: `${tag}-d`, data: seededBytes(`${tag}-d`, 1000) },
    { partitionKey: `${tag}-e`, data: seededBytes(`${tag}-e`, 65_536), explicitHashKey: '2' },
  ];
  return { single, batch };
}

async function putRecords(streamName, tag) {
  const { single, batch } = recordsToPut(tag);
  const put = [];
  const one = await step('PutRecord', () =>
    client.send(
      new PutRecordCommand({ StreamName: streamName, PartitionKey: single.partitionKey, Data: single.data }),
    ),
  );
  check(typeof one.ShardId === 'string' && /^shardId-\d{12}$/.test(one.ShardId), `PutRecord ShardId ${one.ShardId}`);
  check(/^\d+$/.test(one.SequenceNumber ?? ''), `PutRecord SequenceNumber ${one.SequenceNumber}`);
  put.push({ ...single, shardId: one.ShardId, sequenceNumber: one.SequenceNumber });

  const many = await step('PutRecords', () =>
    client.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: batch.map((record) => ({
          PartitionKey: record.partitionKey,
          Data: record.data,
          ...(record.explicitHashKey ? { ExplicitHashKey: record.explicitHashKey } : {}),
        })),
      }),
    ),
  );
  check(many.FailedRecordCount === 0, `PutRecords FailedRecordCount ${many.FailedRecordCount}`);
  check(many.Records?.length === batch.length, `PutRecords returned ${many.Records?.length} results`);
  many.Records.forEach((result, index) => {
    check(!result.ErrorCode, `PutRecords record ${index}: ${result.ErrorCode} ${result.ErrorMessage}`);
    check(/^\d+$/.test(result.SequenceNumber ?? ''), `PutRecords record ${index} SequenceNumber`);
    put.push({ ...batch[index], shardId: result.ShardId, sequenceNumber: result.SequenceNumber });
  });
  return put;
}

// --- Scenarios ------------------------------------------------------------------------------

async function recordsScenario() {
  const streamName = `js-records-${crypto.randomBytes(6).toString('hex')}`;
  await step('CreateStream', () =>
    client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 2 })),
  );
  await step('wait ACTIVE', () => waitForStreamStatus(streamName, 'ACTIVE'));

  const put = await putRecords(streamName, 'rec');
  const explicit = put.find((record) => record.explicitHashKey);

  const shards = await step('ListShards', async () => {
    const answer = await client.send(new ListShardsCommand({ StreamName: streamName }));
    return answer.Shards;
  });
  check(shards?.length === 2, `ListShards returned ${shards?.length} shards, expected 2`);
  check(
    shards[0].ShardId === 'shardId-000000000000' && shards[1].ShardId === 'shardId-000000000001',
    `ListShards shard ids ${shards.map((s) => s.ShardId)}`,
  );
  check(
    BigInt(shards[0].HashKeyRange.StartingHashKey) === 0n &&
      BigInt(shards[0].HashKeyRange.EndingHashKey) + 1n === BigInt(shards[1].HashKeyRange.StartingHashKey) &&
      BigInt(shards[1].HashKeyRange.EndingHashKey) === 2n ** 128n - 1n,
    `ListShards hash key ranges do not cover 0..2^128-1: ${JSON.stringify(shards.map((s) => s.HashKeyRange))}`,
  );
  check(
    explicit.shardId === 'shardId-000000000000',
    `ExplicitHashKey 2 routed to ${explicit.shardId}, expected shardId-000000000000`,
  );
  for (const shard of shards) {
    check(
      typeof shard.SequenceNumberRange?.StartingSequenceNumber === 'string',
      `shard ${shard.ShardId} has no SequenceNumberRange.StartingSequenceNumber`,
    );
  }

  for (const shard of shards) {
    const iterator = await step(`GetShardIterator ${shard.ShardId}`, async () => {
      const answer = await client.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      return answer.ShardIterator;
    });
    check(typeof iterator === 'string' && iterator.length > 0, `empty ShardIterator for ${shard.ShardId}`);
    const received = await step(`GetRecords ${shard.ShardId}`, async () => {
      const records = [];
      let next = iterator;
      for (let call = 0; call < 20; call += 1) {
        const answer = await client.send(new GetRecordsCommand({ ShardIterator: next }));
        check(typeof answer.MillisBehindLatest === 'number', 'GetRecords MillisBehindLatest missing');
        records.push(...answer.Records);
        if (answer.Records.length === 0 && answer.MillisBehindLatest === 0) return records;
        next = answer.NextShardIterator;
        check(next, 'GetRecords returned no NextShardIterator on an open shard');
      }
      throw new ScenarioFailure('shard not drained after 20 GetRecords calls');
    });
    const expected = put.filter((record) => record.shardId === shard.ShardId);
    checkRecordsMatch(expected, received, `GetRecords ${shard.ShardId}`);
  }

  // AT_SEQUENCE_NUMBER with Limit 1 returns exactly the PutRecord record.
  const single = put[0];
  await step('GetShardIterator AT_SEQUENCE_NUMBER + GetRecords Limit 1', async () => {
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: single.shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: single.sequenceNumber,
      }),
    );
    const answer = await client.send(new GetRecordsCommand({ ShardIterator, Limit: 1 }));
    checkRecordsMatch([single], answer.Records, 'GetRecords AT_SEQUENCE_NUMBER');
  });

  await deleteStreamAndWait(streamName);
}

async function fanOutScenario() {
  const streamName = `js-efo-${crypto.randomBytes(6).toString('hex')}`;
  await step('CreateStream', () =>
    client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 })),
  );
  const summary = await step('wait ACTIVE', () => waitForStreamStatus(streamName, 'ACTIVE'));
  const streamArn = summary.StreamARN;
  check(/^arn:aws:kinesis:[^:]+:\d{12}:stream\//.test(streamArn ?? ''), `StreamARN ${streamArn}`);

  const consumerName = 'js-consumer';
  const registered = await step('RegisterStreamConsumer', () =>
    client.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: consumerName })),
  );
  const consumer = registered.Consumer;
  check(consumer?.ConsumerName === consumerName, `RegisterStreamConsumer ConsumerName ${consumer?.ConsumerName}`);
  check(
    (consumer.ConsumerARN ?? '').startsWith(`${streamArn}/consumer/${consumerName}:`),
    `ConsumerARN ${consumer.ConsumerARN} is not <stream ARN>/consumer/<name>:<timestamp>`,
  );
  check(['CREATING', 'ACTIVE'].includes(consumer.ConsumerStatus), `ConsumerStatus ${consumer.ConsumerStatus}`);
  check(consumer.ConsumerCreationTimestamp instanceof Date, 'ConsumerCreationTimestamp is not a Date');
  const consumerArn = consumer.ConsumerARN;

  await step('DescribeStreamConsumer until ACTIVE', () =>
    pollUntil(`consumer ${consumerName} ACTIVE`, 15_000, async () => {
      const answer = await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumerArn }));
      const description = answer.ConsumerDescription;
      check(description.ConsumerARN === consumerArn, `DescribeStreamConsumer ARN ${description.ConsumerARN}`);
      check(description.StreamARN === streamArn, `DescribeStreamConsumer StreamARN ${description.StreamARN}`);
      return description.ConsumerStatus === 'ACTIVE';
    }),
  );

  const { Shards: shards } = await step('ListShards', () =>
    client.send(new ListShardsCommand({ StreamName: streamName })),
  );
  check(shards?.length === 1, `ListShards returned ${shards?.length} shards, expected 1`);
  const shardId = shards[0].ShardId;

  const subscription = new AbortController();
  const subscribed = await step('SubscribeToShard', () =>
    client.send(
      new SubscribeToShardCommand({ ConsumerARN: consumerArn, ShardId: shardId, StartingPosition: { Type: 'LATEST' } }),
      { abortSignal: subscription.signal },
    ),
  );
  check(subscribed.EventStream, 'SubscribeToShard returned no EventStream');

  // Records put after the subscription started must arrive on it.
  const put = await putRecords(streamName, 'efo');
  const received = [];
  let events = 0;
  await step('read SubscribeToShard events', async () => {
    const readDeadline = setTimeout(() => subscription.abort(), 15_000);
    try {
      for await (const event of subscribed.EventStream) {
        const shardEvent = event.SubscribeToShardEvent;
        check(shardEvent, `unexpected event on the stream: ${JSON.stringify(Object.keys(event))}`);
        events += 1;
        check(Array.isArray(shardEvent.Records), 'SubscribeToShardEvent without Records');
        check(/^\d+$/.test(shardEvent.ContinuationSequenceNumber ?? ''), 'event ContinuationSequenceNumber');
        check(typeof shardEvent.MillisBehindLatest === 'number', 'event MillisBehindLatest');
        received.push(...shardEvent.Records);
        if (received.length >= put.length) break;
      }
    } catch (error) {
      if (subscription.signal.aborted && received.length < put.length) {
        throw new ScenarioFailure(
          `only ${received.length} of ${put.length} records arrived on the subscription within 15 s`,
        );
      }
      throw error;
    } finally {
      clearTimeout(readDeadline);
    }
    check(
      received.length >= put.length,
      `the event stream ended after ${received.length} of ${put.length} records (${events} events)`,
    );
  });
  subscription.abort();
  checkRecordsMatch(put, received, 'SubscribeToShard');

  await step('DeregisterStreamConsumer', () =>
    client.send(new DeregisterStreamConsumerCommand({ ConsumerARN: consumerArn })),
  );
  await deleteStreamAndWait(streamName, { EnforceConsumerDeletion: true });
}

// --- Main -------------------------------------------------------------------------------------

try {
  if (mode === 'records') await recordsScenario();
  else await fanOutScenario();
  currentStep = 'HTTP/2 accounting';
  const streams = http2Sessions.reduce((total, session) => total + session.streams, 0);
  check(http2Sessions.length > 0, 'the SDK opened no HTTP/2 session (instrumentation saw none)');
  check(
    streams === sdkRequests,
    `the SDK sent ${sdkRequests} requests but ${streams} HTTP/2 streams were opened`,
  );
  const wantedAlpn = endpoint.startsWith('https:') ? 'h2' : 'h2c';
  for (const session of http2Sessions) {
    check(
      session.alpnProtocol === wantedAlpn,
      `HTTP/2 session to ${session.authority} negotiated ${session.alpnProtocol}, expected ${wantedAlpn}`,
    );
  }
  clearTimeout(watchdog);
  console.log(JSON.stringify({ ok: true, mode, endpoint, sdk_requests: sdkRequests, http2_sessions: http2Sessions }));
  handler.destroy();
  process.exit(0);
} catch (error) {
  fail(error);
}
