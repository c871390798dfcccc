// The web console in a real browser: Debian's chromium, headless, driven by puppeteer-core
// (which uses that browser and never downloads one). Driven by
// tests/integration/server/test_console_browser.py, which starts the server.
//
// Environment: TRIBUTARY_URL (http://127.0.0.1:PORT), CHROMIUM (the browser's path),
// SCREENSHOT_DIR (where the screenshots go). Prints one JSON line with what it saw; exits
// non-zero (with the reason) when a check fails.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import puppeteer from 'puppeteer-core';
import kinesisAggregation from 'aws-kinesis-agg';
import {
  KinesisClient,
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  DescribeStreamConsumerCommand,
  SplitShardCommand,
  SubscribeToShardCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import {
  DynamoDBClient,
  CreateTableCommand,
  DescribeTableCommand,
  EnableKinesisStreamingDestinationCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';

const url = process.env.TRIBUTARY_URL;
const screenshots = process.env.SCREENSHOT_DIR;
const credentials = { accessKeyId: 'console-test', secretAccessKey: 'secret' };
const kinesis = new KinesisClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
// SubscribeToShard needs HTTP/2 (as with AWS).
const http2 = new NodeHttp2Handler({ requestTimeout: 10_000, sessionTimeout: 20_000 });
const fanOut = new KinesisClient({
  endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: http2 });
const dynamodb = new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
fs.mkdirSync(screenshots, { recursive: true });

const seen = {};
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 860 });
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  // A spy on the page's EventSource: every live-tail record event the page receives, in order,
  // so that a check can wait until a record has reached the page before asserting that the
  // page does not show it (paused, filtered out).
  await page.evaluateOnNewDocument(() => {
    window.tailReceived = [];
    window.EventSource = class extends window.EventSource {
      constructor(...args) {
        super(...args);
        this.addEventListener('record', (event) => window.tailReceived.push(JSON.parse(event.data)));
      }
    };
  });

  // 1. The console opens at /.
  await page.goto(`${url}/`, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => document.querySelector('#health')?.textContent.startsWith('serving'));

  // 2. A stream created through the API appears in the list.
  const name = `console-${Date.now()}`;
  await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
  for (;;) {
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (summary.StreamDescriptionSummary.StreamStatus === 'ACTIVE') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await page.waitForFunction((n) => [...document.querySelectorAll('#stream-list a')].some((a) => a.textContent === n),
                             { timeout: 5000 }, name);
  seen.listed = true;
  await page.screenshot({ path: path.join(screenshots, 'console-streams.png') });

  // 3. Records put after the tail is live appear within a second.
  await page.click(`#stream-list a[href="#/stream/${name}"]`);
  await page.waitForFunction(() => document.querySelector('#tail-state')?.textContent === 'live', { timeout: 5000 });
  const started = Date.now();
  await kinesis.send(new PutRecordCommand({
    StreamName: name, PartitionKey: 'order-17', Data: new TextEncoder().encode('{"order":17,"total":42.5}'),
  }));
  await page.waitForFunction(() => [...document.querySelectorAll('#tail-records .pk')].some((e) => e.textContent === 'order-17'),
                             { timeout: 1000, polling: 'mutation' });
  seen.tail_latency_ms = Date.now() - started;
  assert.ok(seen.tail_latency_ms < 1000, `record shown after ${seen.tail_latency_ms} ms`);

  // 4. A KPL-aggregated record (made by awslabs' encoder) is shown de-aggregated.
  const aggregator = new kinesisAggregation.RecordAggregator();
  aggregator.addUserRecord({ partitionKey: 'user-a', data: Buffer.from('{"event":"signup"}') });
  aggregator.addUserRecord({ partitionKey: 'user-b', data: Buffer.from('{"event":"login"}') });
  aggregator.addUserRecord({ partitionKey: 'user-c', data: Buffer.from('plain text') });
  const aggregated = aggregator.build();
  await kinesis.send(new PutRecordsCommand({
    StreamName: name,
    Records: [
      { PartitionKey: aggregated.partitionKey, Data: aggregated.data },
      { PartitionKey: 'sensor-3', Data: new Uint8Array([0, 1, 2, 250]) },
    ],
  }));
  await page.waitForFunction(() => document.querySelectorAll('#tail-records .user').length === 3, { timeout: 2000 });
  seen.kpl = await page.$$eval('#tail-records .user', (users) => users.map((u) => ({
    key: u.querySelector('b').textContent, data: u.querySelector('pre').textContent })));
  assert.deepEqual(seen.kpl, [
    { key: 'user-a', data: '{"event":"signup"}' },
    { key: 'user-b', data: '{"event":"login"}' },
    { key: 'user-c', data: 'plain text' },
  ]);
  await page.select('#tail-format', 'json');
  assert.equal(await page.$eval('#tail-records pre.data', (e) => e.textContent), '00 01 02 fa  (not UTF-8: hex)');

  // 5. After a split, the lineage graph shows the parent closed and its two children; the tail
  //    follows the children (it keeps its records: the page is not reloaded for the tail).
  await kinesis.send(new SplitShardCommand({
    StreamName: name, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: String(2n ** 126n) }));
  for (;;) {
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (summary.StreamDescriptionSummary.StreamStatus === 'ACTIVE') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const child = await kinesis.send(new PutRecordCommand({
    StreamName: name, PartitionKey: 'after-split', ExplicitHashKey: '1',
    Data: new TextEncoder().encode('{"after":"split"}') }));
  assert.equal(child.ShardId, 'shardId-000000000002');
  await page.waitForFunction(() => [...document.querySelectorAll('#tail-records .rec')].some(
    (e) => e.querySelector('.pk').textContent === 'after-split' && e.textContent.includes('shardId-000000000002')),
                             { timeout: 2000 });
  await page.evaluate(() => { location.hash = '#/streams'; });
  await page.waitForSelector('#stream-list');
  await page.evaluate((n) => { location.hash = `#/stream/${n}`; }, name);
  await page.waitForFunction(() => document.querySelectorAll('svg.lineage rect').length === 4, { timeout: 5000 });
  seen.lineage_lines = await page.$$eval('svg.lineage line', (lines) => lines.length);
  assert.equal(seen.lineage_lines, 2);

  // 6. A registered consumer with a SubscribeToShard open on the child shard: the page
  //    (refreshing itself) shows the consumer and its subscription with what it pushed.
  const streamArn = (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name })))
    .StreamDescriptionSummary.StreamARN;
  const consumer = (await kinesis.send(new RegisterStreamConsumerCommand({
    StreamARN: streamArn, ConsumerName: 'efo-reader' }))).Consumer;
  while ((await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: consumer.ConsumerARN })))
    .ConsumerDescription.ConsumerStatus !== 'ACTIVE') {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const subscription = new AbortController();
  const subscribed = await fanOut.send(new SubscribeToShardCommand({
    ConsumerARN: consumer.ConsumerARN, ShardId: 'shardId-000000000002', StartingPosition: { Type: 'LATEST' },
  }), { abortSignal: subscription.signal });
  const events = subscribed.EventStream[Symbol.asyncIterator]();
  await events.next();  // the first event: the subscription is delivering
  await kinesis.send(new PutRecordCommand({
    StreamName: name, PartitionKey: 'via-efo', ExplicitHashKey: '1', Data: new TextEncoder().encode('{"efo":1}') }));
  for (let pushed = 0; pushed < 1;) {
    pushed += (await events.next()).value.SubscribeToShardEvent.Records.length;
  }
  await page.waitForFunction(() => document.querySelector('#consumers .sub-records')?.textContent === '1',
                             { timeout: 5000 });
  seen.consumers = await page.$$eval('#consumers tr.consumer', (rows) => rows.map((row) => ({
    name: row.querySelector('.consumer-name').textContent,
    status: row.querySelector('.badge').textContent,
    subscriptions: [...row.querySelectorAll('.subscription')].map((s) => ({
      shard: s.querySelector('.sub-shard').textContent,
      since: s.querySelector('.sub-since').textContent,
      records: s.querySelector('.sub-records').textContent,
      bytes: s.querySelector('.sub-bytes').textContent,
    })),
  })));
  assert.equal(seen.consumers.length, 1);
  assert.match(seen.consumers[0].subscriptions[0]?.since ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
  delete seen.consumers[0].subscriptions[0].since;
  assert.deepEqual(seen.consumers, [{ name: 'efo-reader', status: 'ACTIVE',
    subscriptions: [{ shard: 'shardId-000000000002', records: '1', bytes: '9' }] }]);
  await page.waitForFunction(() => document.querySelector('#tail-state')?.textContent === 'live', { timeout: 5000 });
  await page.select('#tail-from', 'TRIM_HORIZON');
  await page.waitForFunction(() => document.querySelectorAll('#tail-records .rec').length === 5, { timeout: 5000 });
  await page.select('#tail-format', 'json');
  await page.screenshot({ path: path.join(screenshots, 'console-stream.png'), fullPage: true });
  subscription.abort();

  // 6a. Data formats: a JSON record in pretty JSON (indented), a KPL user record too; text that
  //     is not JSON stays as it is; back in UTF-8 text the record is as put; in hex its bytes.
  const dataOf = (key) => page.$$eval('#tail-records .rec', (records, k) => records
    .filter((r) => r.querySelector('.pk').textContent === k).map((r) => r.querySelector('pre.data').textContent), key);
  const userData = () => page.$$eval('#tail-records .user pre.data', (pres) => pres.map((p) => p.textContent));
  seen.pretty = { record: await dataOf('order-17'), users: await userData() };
  assert.deepEqual(seen.pretty, {
    record: ['{\n  "order": 17,\n  "total": 42.5\n}'],
    users: ['{\n  "event": "signup"\n}', '{\n  "event": "login"\n}', 'plain text'],
  });
  await page.select('#tail-format', 'text');
  assert.deepEqual(await dataOf('order-17'), ['{"order":17,"total":42.5}']);
  await page.select('#tail-format', 'hex');
  assert.deepEqual(await dataOf('order-17'),
                   [Buffer.from('{"order":17,"total":42.5}').toString('hex').match(/../g).join(' ')]);
  await page.select('#tail-format', 'text');

  // The tail's partition keys, newest first; waits (generously) until they are `expected`.
  const tailKeys = () => page.$$eval('#tail-records .rec .pk', (keys) => keys.map((k) => k.textContent));
  const waitForTail = async (expected) => {
    try {
      await page.waitForFunction((e) => JSON.stringify([...document.querySelectorAll('#tail-records .rec .pk')]
        .map((k) => k.textContent)) === e, { timeout: 5000 }, JSON.stringify(expected));
    } catch {
      assert.deepEqual(await tailKeys(), expected);
    }
  };
  // Waits until the page has received the record with this key (shown or not).
  const received = (key) => page.waitForFunction(
    (k) => window.tailReceived.some((r) => r.PartitionKey === k), { timeout: 5000 }, key);
  // All on the child shardId-000000000002, so that they reach the page in this order.
  const put = (key) => kinesis.send(new PutRecordCommand({
    StreamName: name, PartitionKey: key, ExplicitHashKey: '1', Data: new TextEncoder().encode(`{"key":"${key}"}`) }));
  const everything = await tailKeys();
  assert.equal(everything.length, 5);

  // 6b. The partition-key filter (a substring): only matching records, of those on screen and
  //     of those arriving; cleared, the records it hid are shown again.
  await page.type('#tail-filter', 'split');
  await waitForTail(['after-split']);
  await put('filtered-out');
  await put('split-2');
  await received('split-2');
  await waitForTail(['split-2', 'after-split']);
  seen.filtered = await tailKeys();
  await page.click('#tail-filter', { clickCount: 3 });
  await page.keyboard.press('Backspace');
  await waitForTail(['split-2', 'filtered-out', ...everything]);

  // 6c. Pause: records put while paused reach the page but are not shown; Resume shows them,
  //     and records put after it appear as they arrive.
  await page.click('#tail-pause');
  assert.equal(await page.$eval('#tail-pause', (b) => b.textContent), 'Resume');
  await put('while-paused-1');
  await put('while-paused-2');
  await received('while-paused-2');
  assert.deepEqual(await tailKeys(), ['split-2', 'filtered-out', ...everything]);
  await page.click('#tail-pause');
  assert.equal(await page.$eval('#tail-pause', (b) => b.textContent), 'Pause');
  await waitForTail(['while-paused-2', 'while-paused-1', 'split-2', 'filtered-out', ...everything]);
  await put('after-resume');
  await waitForTail(['after-resume', 'while-paused-2', 'while-paused-1', 'split-2', 'filtered-out', ...everything]);
  // A redraw (another format, and back) keeps every record shown after Resume (app.js once kept
  // only the first held record in its list, so the others vanished on the next redraw).
  await page.select('#tail-format', 'json');
  await page.select('#tail-format', 'text');
  await waitForTail(['after-resume', 'while-paused-2', 'while-paused-1', 'split-2', 'filtered-out', ...everything]);
  seen.paused = (await tailKeys()).slice(0, 3);

  // 6d. From a timestamp (AT_TIMESTAMP): the records that arrived at or after it (one put before
  //     the tail starts from there), then new ones live; none of the earlier records. The time
  //     is entered in the page's local time, as a datetime-local input takes it.
  await new Promise((resolve) => setTimeout(resolve, 5));  // the clock moves past every record above
  const from = Date.now();
  await put('since-1');
  await page.$eval('#tail-timestamp', (input, ms) => {
    const d = new Date(ms);
    const pad = (n, width = 2) => String(n).padStart(width, '0');
    input.value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T` +
      `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  }, from);
  await page.select('#tail-from', 'AT_TIMESTAMP');
  await page.waitForFunction(() => document.querySelector('#tail-state')?.textContent === 'live', { timeout: 5000 });
  await waitForTail(['since-1']);
  await put('since-2');
  await waitForTail(['since-2', 'since-1']);
  seen.at_timestamp = await tailKeys();

  // 7. Tables: a table with a stream, shown with no Kinesis streaming destination yet.
  const table = `console-table-${Date.now()}`;
  await dynamodb.send(new CreateTableCommand({
    TableName: table,
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }));
  while ((await dynamodb.send(new DescribeTableCommand({ TableName: table }))).Table.TableStatus !== 'ACTIVE') {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await page.goto(`${url}/#/table/${table}`, { waitUntil: 'networkidle0' });
  await page.waitForFunction(() => document.querySelector('#destination')?.textContent
    .startsWith('No Kinesis streaming destination'), { timeout: 5000 });

  // 8. A Kinesis streaming destination to the stream above (which holds other records too):
  //    the page (refreshing itself) shows it ACTIVE, with a link to the stream's page.
  await dynamodb.send(new EnableKinesisStreamingDestinationCommand({ TableName: table, StreamArn: streamArn }));
  await page.waitForFunction(() => document.querySelector('#destination-status tr.destination .badge')
    ?.textContent === 'ACTIVE', { timeout: 10000 });
  seen.destination = await page.$eval('#destination-status tr.destination', (row) => ({
    link: row.querySelector('a.destination-stream').getAttribute('href'),
    cells: [...row.querySelectorAll('td')].map((cell) => cell.textContent),
  }));
  assert.deepEqual(seen.destination, {
    link: `#/stream/${name}`,
    cells: [name, 'ACTIVE', '—', 'MILLISECOND (not set)', streamArn],
  });

  // 9. An item written twice: its two changes are the recent deliveries (only this table's
  //    records of that stream), and after a refresh the item and the table's stream records.
  await dynamodb.send(new PutItemCommand({
    TableName: table, Item: { id: { S: 'u1' }, name: { S: 'Ada' }, visits: { N: '2' } } }));
  await dynamodb.send(new PutItemCommand({
    TableName: table, Item: { id: { S: 'u1' }, name: { S: 'Ada' }, visits: { N: '3' } } }));
  await page.waitForFunction(() => document.querySelectorAll('#destination tr.delivery').length === 2,
                             { timeout: 10000 });
  seen.deliveries = await page.$$eval('#destination tr.delivery', (rows) => rows.map((row) => ({
    event: row.querySelector('.badge').textContent,
    keys: JSON.parse(row.querySelector('td.keys').textContent),
    record: JSON.parse(row.querySelector('details pre').textContent),
  })));
  assert.deepEqual(seen.deliveries.map((d) => [d.event, d.keys, d.record.tableName, d.record.dynamodb.NewImage.visits]), [
    ['INSERT', { id: 'u1' }, table, { N: '2' }],
    ['MODIFY', { id: 'u1' }, table, { N: '3' }],
  ]);
  await page.click('#item-run');
  await page.click('#stream-refresh');
  await page.waitForFunction(() => document.querySelector('#items pre')?.textContent.includes('"Ada"'), { timeout: 5000 });
  seen.item = JSON.parse(await page.$eval('#items pre', (e) => e.textContent));
  assert.deepEqual(seen.item, { id: 'u1', name: 'Ada', visits: 3 });
  await page.waitForFunction(() => document.querySelectorAll('#stream-records tr.stream-record').length === 2,
                             { timeout: 5000 });
  seen.stream_records = await page.$$eval('#stream-records tr.stream-record', (rows) => rows.map((row) => ({
    event: row.querySelector('.badge').textContent,
    images: [...row.querySelectorAll('td:last-child > div')].map((d) => ({
      [d.querySelector('b').textContent]: JSON.parse(d.querySelector('pre').textContent) })),
  })));
  assert.deepEqual(seen.stream_records, [
    { event: 'INSERT', images: [{ Keys: { id: 'u1' } }, { NewImage: { id: 'u1', name: 'Ada', visits: 2 } }] },
    { event: 'MODIFY', images: [{ Keys: { id: 'u1' } }, { OldImage: { id: 'u1', name: 'Ada', visits: 2 } },
                                { NewImage: { id: 'u1', name: 'Ada', visits: 3 } }] },
  ]);
  await page.screenshot({ path: path.join(screenshots, 'console-table.png'), fullPage: true });
  await page.goto(`${url}/#/tables`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#table-list');
  await page.screenshot({ path: path.join(screenshots, 'console-tables.png') });

  // 10. The item browser on a table with a sort key: the Query form (partition key equality),
  //     the next-page control with a small page size, and items in plain and DynamoDB JSON.
  const sorted = `console-sorted-${Date.now()}`;
  await dynamodb.send(new CreateTableCommand({
    TableName: sorted,
    KeySchema: [{ AttributeName: 'user', KeyType: 'HASH' }, { AttributeName: 'n', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'user', AttributeType: 'S' }, { AttributeName: 'n', AttributeType: 'N' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  while ((await dynamodb.send(new DescribeTableCommand({ TableName: sorted }))).Table.TableStatus !== 'ACTIVE') {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const rich = {
    user: { S: 'ada' }, n: { N: '1' }, tags: { SS: ['x'] },
    info: { M: { ok: { BOOL: true }, none: { NULL: true }, list: { L: [{ N: '1.5' }, { S: 's' }] } } },
  };
  for (const item of [rich, { user: { S: 'ada' }, n: { N: '2' } }, { user: { S: 'ada' }, n: { N: '3' } },
                      { user: { S: 'bob' }, n: { N: '1' } }]) {
    await dynamodb.send(new PutItemCommand({ TableName: sorted, Item: item }));
  }
  await page.goto(`${url}/#/table/${sorted}`, { waitUntil: 'networkidle0' });
  // The items shown, and their keys as "user/n" (in either view).
  const shownItems = () => page.$$eval('#items pre', (pres) => pres.map((p) => JSON.parse(p.textContent)));
  const itemKeys = () => [...document.querySelectorAll('#items pre')].map((p) => {
    const item = JSON.parse(p.textContent);
    return `${item.user.S ?? item.user}/${item.n.N ?? item.n}`;
  });
  const waitForItems = async (expected) => {
    try {
      await page.waitForFunction(`JSON.stringify((${itemKeys})()) === ${JSON.stringify(JSON.stringify(expected))}`,
                                 { timeout: 5000 });
    } catch {
      assert.deepEqual(await page.evaluate(itemKeys), expected);
    }
  };
  const nextDisabled = () => page.$eval('#item-next', (b) => b.disabled);
  const setInput = async (selector, value) => {
    await page.$eval(selector, (e) => { e.value = ''; });
    await page.type(selector, value);
  };
  // The page opens with a Scan of the first 25.
  await page.waitForFunction(() => document.querySelectorAll('#items pre').length === 4, { timeout: 5000 });
  assert.deepEqual((await page.evaluate(itemKeys)).sort(), ['ada/1', 'ada/2', 'ada/3', 'bob/1']);

  // Query user = "ada", two items a page: ada/1 and ada/2, then (Next page) ada/3 and no next.
  await page.select('#item-mode', 'Query');
  await setInput('#item-key', 'ada');
  await setInput('#item-limit', '2');
  await page.click('#item-run');
  await waitForItems(['ada/1', 'ada/2']);
  assert.equal(await nextDisabled(), false);
  const plainRich = { user: 'ada', n: 1, tags: ['x'], info: { ok: true, none: null, list: [1.5, 's'] } };
  assert.deepEqual(await shownItems(), [plainRich, { user: 'ada', n: 2 }]);
  await page.click('#item-next');
  await waitForItems(['ada/3']);
  assert.equal(await nextDisabled(), true);
  seen.query_pages = [['ada/1', 'ada/2'], await page.evaluate(itemKeys)];

  // The same first page in DynamoDB JSON (as stored), then in plain JSON again.
  await page.click('#item-run');
  await waitForItems(['ada/1', 'ada/2']);
  await page.select('#item-view', 'dynamodb');
  seen.dynamodb_json = await shownItems();
  assert.deepEqual(seen.dynamodb_json, [rich, { user: { S: 'ada' }, n: { N: '2' } }]);
  await page.select('#item-view', 'plain');
  assert.deepEqual(await shownItems(), [plainRich, { user: 'ada', n: 2 }]);

  // Another partition key: only its item.
  await setInput('#item-key', 'bob');
  await page.click('#item-run');
  await waitForItems(['bob/1']);
  assert.equal(await nextDisabled(), true);

  // Scan, three a page: every item once over two pages.
  await page.select('#item-mode', 'Scan');
  await setInput('#item-limit', '3');
  await page.click('#item-run');
  await page.waitForFunction(() => document.querySelectorAll('#items pre').length === 3, { timeout: 5000 });
  assert.equal(await nextDisabled(), false);
  const firstPage = await page.evaluate(itemKeys);
  await page.click('#item-next');
  await page.waitForFunction(() => document.querySelectorAll('#items pre').length === 1, { timeout: 5000 });
  assert.equal(await nextDisabled(), true);
  seen.scan_pages = [firstPage, await page.evaluate(itemKeys)];
  assert.deepEqual(seen.scan_pages.flat().sort(), ['ada/1', 'ada/2', 'ada/3', 'bob/1']);

  assert.deepEqual(pageErrors, []);
  console.log(JSON.stringify(seen));
} finally {
  await browser.close();
  http2.destroy();
}
