// The AWS SDK for JavaScript v3 against a Tributary started with --auth, with the credentials
// given: Kinesis ListStreams through the SDK's HTTP/2 handler (NodeHttp2Handler), DynamoDB
// ListTables and DynamoDB Streams ListStreams through the default (HTTP/1.1) handler. Driven by
// tests/integration/protocol/test_auth.py; by hand:
//
//   node tests/js/auth_scenario.mjs http://127.0.0.1:4567 AKID secret
//
// Prints one JSON line: {"kinesis": {...}, "dynamodb": {...}, "dynamodbstreams": {...},
// "http2_streams": N}, each call's outcome {"ok": true} or {"ok": false, "name", "status",
// "message"}. Exits 0 whatever the calls answered (the test judges), 1 on a scenario fault.
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
const http2 = require('node:http2');

// Count HTTP/2 streams, to show the Kinesis call really went over HTTP/2.
let http2Streams = 0;
const originalConnect = http2.connect;
http2.connect = function instrumentedConnect(authority, ...rest) {
  const session = originalConnect.call(this, authority, ...rest);
  const originalRequest = session.request;
  session.request = function instrumentedRequest(...args) {
    http2Streams += 1;
    return originalRequest.apply(this, args);
  };
  return session;
};
syncBuiltinESMExports();

const { KinesisClient, ListStreamsCommand } = await import('@aws-sdk/client-kinesis');
const { DynamoDBClient, ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
const { DynamoDBStreamsClient, ListStreamsCommand: ListTableStreamsCommand } = await import(
  '@aws-sdk/client-dynamodb-streams'
);
const { NodeHttp2Handler } = await import('@smithy/node-http-handler');

const [endpoint, accessKeyId, secretAccessKey] = process.argv.slice(2);
if (!endpoint || !accessKeyId || !secretAccessKey) {
  console.error('usage: node auth_scenario.mjs <endpoint> <access key id> <secret access key>');
  process.exit(2);
}
const common = {
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId, secretAccessKey },
  maxAttempts: 1,
};

async function outcome(call) {
  try {
    await call();
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      name: error.name,
      status: error.$metadata?.httpStatusCode ?? null,
      message: error.message,
    };
  }
}

try {
  const handler = new NodeHttp2Handler({ requestTimeout: 10_000, sessionTimeout: 20_000 });
  const kinesis = new KinesisClient({ ...common, requestHandler: handler });
  const dynamodb = new DynamoDBClient(common);
  const streams = new DynamoDBStreamsClient(common);
  const result = {
    kinesis: await outcome(() => kinesis.send(new ListStreamsCommand({}))),
    dynamodb: await outcome(() => dynamodb.send(new ListTablesCommand({}))),
    dynamodbstreams: await outcome(() => streams.send(new ListTableStreamsCommand({}))),
    http2_streams: http2Streams,
  };
  handler.destroy();
  kinesis.destroy();
  dynamodb.destroy();
  streams.destroy();
  console.log(JSON.stringify(result));
  process.exit(0);
} catch (error) {
  console.error(`auth scenario failed: ${error?.stack ?? error}`);
  process.exit(1);
}
