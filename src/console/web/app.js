// Tributary's web console: plain modern JavaScript, no framework, nothing fetched from
// elsewhere. It reads everything through the AWS APIs on this same port (as an SDK would) and
// the live tail through Server-Sent Events from /_tributary/console/api/tail.

const main = document.getElementById('main');
let region = 'us-east-1';
let cleanup = [];  // what the current page must stop when the route changes

// ---- helpers ---------------------------------------------------------------------------------

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

// Target prefix, content type and SigV4 signing name of each API.
const SERVICES = {
  kinesis: ['Kinesis_20131202', 'application/x-amz-json-1.1', 'kinesis'],
  dynamodb: ['DynamoDB_20120810', 'application/x-amz-json-1.0', 'dynamodb'],
  dynamodbstreams: ['DynamoDBStreams_20120810', 'application/x-amz-json-1.0', 'dynamodb'],
};

// One AWS API call. The pipeline checks the SigV4 shape only; a key id that is not 12 digits
// means the server's default account.
async function aws(service, operation, input = {}) {
  const [prefix, contentType, signingName] = SERVICES[service];
  const response = await fetch('/', {
    method: 'POST',
    headers: {
      'Content-Type': contentType,
      'X-Amz-Target': `${prefix}.${operation}`,
      'X-Amz-Date': '20260101T000000Z',
      'Authorization': `AWS4-HMAC-SHA256 Credential=console/20260101/${region}/${signingName}/aws4_request, SignedHeaders=host, Signature=console`,
    },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : {};
  if (!response.ok) {
    const type = (body.__type || `HTTP ${response.status}`).split('#').pop();
    throw new Error(`${type}: ${body.message || body.Message || ''}`);
  }
  return body;
}

const badge = (text, kind = text) => h('span', { class: `badge ${kind}` }, text);
const time = (seconds) => new Date(seconds * 1000).toISOString().replace('T', ' ').replace('Z', '');
const decodeBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

// Data shown as UTF-8 text, pretty JSON or hex.
function renderData(bytes, format) {
  if (format === 'hex') {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
  }
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ') + '  (not UTF-8: hex)';
  }
  if (format === 'json') {
    try { return JSON.stringify(JSON.parse(text), null, 2); } catch { /* not JSON: text */ }
  }
  return text;
}

function showError(error) {
  main.replaceChildren(h('p', { class: 'error' }, String(error.message || error)));
}

// ---- health ----------------------------------------------------------------------------------

async function refreshHealth() {
  const element = document.getElementById('health');
  try {
    const response = await fetch('/_tributary/health');
    const body = await response.json();
    region = body.region || region;
    element.className = `badge ${body.status}`;
    element.textContent = `${body.status} · v${body.version} · ${body.storage.engine} · ${body.region}`;
  } catch {
    element.className = 'badge down';
    element.textContent = 'unreachable';
  }
}

// ---- streams ---------------------------------------------------------------------------------

async function streamsPage() {
  main.replaceChildren(h('h1', {}, 'Kinesis data streams'), h('div', { id: 'streams' }, 'Loading…'));
  const draw = async () => {
    const names = [];
    let input = {};
    for (;;) {
      const page = await aws('kinesis', 'ListStreams', input);
      names.push(...page.StreamNames);
      if (!page.HasMoreStreams || !page.NextToken) break;
      input = { NextToken: page.NextToken };
    }
    const summaries = await Promise.all(names.map((name) =>
      aws('kinesis', 'DescribeStreamSummary', { StreamName: name })
        .then((r) => r.StreamDescriptionSummary).catch(() => null)));
    const rows = summaries.filter(Boolean).map((s) => h('tr', {},
      h('td', {}, h('a', { href: `#/stream/${encodeURIComponent(s.StreamName)}` }, s.StreamName)),
      h('td', {}, badge(s.StreamStatus)),
      h('td', {}, s.StreamModeDetails?.StreamMode ?? 'PROVISIONED'),
      h('td', {}, s.OpenShardCount),
      h('td', {}, `${s.RetentionPeriodHours} h`),
      h('td', {}, s.ConsumerCount ?? 0),
      h('td', {}, time(s.StreamCreationTimestamp))));
    const target = document.getElementById('streams');
    if (!target) return;
    target.replaceChildren(rows.length === 0
      ? h('p', { class: 'empty' }, 'No streams yet. Create one with CreateStream (or --init).')
      : h('table', { id: 'stream-list' },
          h('tr', {}, ['Name', 'Status', 'Mode', 'Open shards', 'Retention', 'Consumers', 'Created']
            .map((t) => h('th', {}, t))),
          rows));
  };
  await draw();
  const timer = setInterval(() => draw().catch(() => {}), 1500);
  cleanup.push(() => clearInterval(timer));
}

// Lineage: one column per generation, a box per shard, a line from each parent to its child.
function lineageGraph(shards) {
  const byId = new Map(shards.map((s) => [s.ShardId, s]));
  const depth = new Map();
  const depthOf = (s) => {
    if (depth.has(s.ShardId)) return depth.get(s.ShardId);
    const parents = [s.ParentShardId, s.AdjacentParentShardId].filter((p) => byId.has(p));
    const d = parents.length ? 1 + Math.max(...parents.map((p) => depthOf(byId.get(p)))) : 0;
    depth.set(s.ShardId, d);
    return d;
  };
  shards.forEach(depthOf);
  const columns = [];
  for (const s of shards) (columns[depth.get(s.ShardId)] ||= []).push(s);
  const boxW = 190, boxH = 34, gapX = 60, gapY = 12;
  const position = new Map();
  columns.forEach((column, x) => column.forEach((s, y) =>
    position.set(s.ShardId, [x * (boxW + gapX) + 4, y * (boxH + gapY) + 4])));
  const height = Math.max(...columns.map((c) => c.length)) * (boxH + gapY) + 8;
  const width = columns.length * (boxW + gapX);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'lineage');
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  const add = (tag, attributes, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
    if (text) e.textContent = text;
    svg.append(e);
  };
  for (const s of shards) {
    for (const parent of [s.ParentShardId, s.AdjacentParentShardId]) {
      if (!position.has(parent)) continue;
      const [px, py] = position.get(parent);
      const [cx, cy] = position.get(s.ShardId);
      add('line', { x1: px + boxW, y1: py + boxH / 2, x2: cx, y2: cy + boxH / 2, stroke: '#8c959f' });
    }
  }
  for (const s of shards) {
    const [x, y] = position.get(s.ShardId);
    const open = !s.SequenceNumberRange.EndingSequenceNumber;
    add('rect', { x, y, width: boxW, height: boxH, rx: 4, fill: open ? '#dafbe1' : '#eaeef2',
                  stroke: open ? '#1a7f37' : '#8c959f' });
    add('text', { x: x + 8, y: y + 14 }, `${s.ShardId} ${open ? 'open' : 'closed'}`);
    const start = BigInt(s.HashKeyRange.StartingHashKey), end = BigInt(s.HashKeyRange.EndingHashKey);
    const percent = (v) => Number((v * 10000n) / (2n ** 128n)) / 100;
    add('text', { x: x + 8, y: y + 28 }, `hash ${percent(start)}% – ${percent(end + 1n)}%`);
  }
  return svg;
}

// Per-shard incoming records/s and bytes/s, from the /metrics counters sampled every 2 s.
function rateTracker(streamName) {
  const previous = new Map();
  const history = new Map();
  return async () => {
    const text = await (await fetch('/metrics')).text();
    const now = performance.now() / 1000;
    const current = new Map();
    for (const line of text.split('\n')) {
      const match = line.match(/^tributary_kinesis_shard_incoming_(records|bytes)_total\{(.*)\} (\S+)$/);
      if (!match) continue;
      const labels = Object.fromEntries([...match[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
      if (labels.stream !== streamName || labels.region !== region) continue;
      const entry = current.get(labels.shard) || {};
      entry[match[1]] = Number(match[3]);
      current.set(labels.shard, entry);
    }
    for (const [shard, value] of current) {
      const before = previous.get(shard);
      if (before) {
        const seconds = now - before.at;
        const rates = { records: (value.records - before.records) / seconds,
                        bytes: (value.bytes - before.bytes) / seconds };
        const list = history.get(shard) || [];
        list.push(rates);
        if (list.length > 60) list.shift();
        history.set(shard, list);
      }
      previous.set(shard, { ...value, at: now });
    }
    return history;
  };
}

function sparkline(values) {
  const canvas = h('canvas', { class: 'spark', width: 120, height: 24 });
  const context = canvas.getContext('2d');
  const max = Math.max(1, ...values);
  context.strokeStyle = '#1f6feb';
  context.beginPath();
  values.forEach((v, i) => {
    const x = (i / 59) * 120, y = 23 - (v / max) * 22;
    if (i === 0) context.moveTo(x, y); else context.lineTo(x, y);
  });
  context.stroke();
  return canvas;
}

async function streamPage(name) {
  const summary = (await aws('kinesis', 'DescribeStreamSummary', { StreamName: name })).StreamDescriptionSummary;
  const shards = [];
  let input = { StreamName: name };
  for (;;) {
    const page = await aws('kinesis', 'ListShards', input);
    shards.push(...page.Shards);
    if (!page.NextToken) break;
    input = { NextToken: page.NextToken };
  }
  const consumers = h('div', { id: 'consumers' });
  const drawConsumers = async () => consumers.replaceChildren(await consumerTable(name, summary.StreamARN));
  const fact = (label, value) => h('div', {}, h('b', {}, label), value);
  const rates = h('tbody');
  main.replaceChildren(
    h('h1', {}, 'Stream ', h('span', { id: 'stream-name' }, name), ' ', badge(summary.StreamStatus)),
    h('div', { class: 'facts' },
      fact('Mode', summary.StreamModeDetails?.StreamMode ?? 'PROVISIONED'),
      fact('Open shards', summary.OpenShardCount),
      fact('Retention', `${summary.RetentionPeriodHours} hours`),
      fact('Encryption', summary.EncryptionType),
      fact('Created', time(summary.StreamCreationTimestamp)),
      fact('ARN', h('span', { class: 'mono' }, summary.StreamARN))),
    h('h2', {}, 'Shards'),
    lineageGraph(shards),
    h('table', {},
      h('tr', {}, ['Shard', 'State', 'Parents', 'Hash key range', 'Records/s in', 'Bytes/s in', 'Last minute']
        .map((t) => h('th', {}, t))),
      rates),
    h('h2', {}, 'Consumers'),
    consumers,
    h('h2', {}, 'Live tail'),
    liveTail(name, shards));
  const track = rateTracker(name);
  const drawRates = async () => {
    const history = await track();
    rates.replaceChildren(...shards.map((s) => {
      const list = history.get(s.ShardId) || [];
      const last = list[list.length - 1] || { records: 0, bytes: 0 };
      const open = !s.SequenceNumberRange.EndingSequenceNumber;
      return h('tr', {},
        h('td', { class: 'mono' }, s.ShardId),
        h('td', {}, badge(open ? 'open' : 'closed')),
        h('td', { class: 'mono' }, [s.ParentShardId, s.AdjacentParentShardId].filter(Boolean).join(', ') || '—'),
        h('td', { class: 'mono' }, `${s.HashKeyRange.StartingHashKey} – ${s.HashKeyRange.EndingHashKey}`),
        h('td', {}, last.records.toFixed(1)),
        h('td', {}, last.bytes.toFixed(0)),
        h('td', {}, sparkline(list.map((r) => r.records))));
    }));
  };
  await Promise.all([drawRates(), drawConsumers()]);
  const timer = setInterval(() => {
    drawRates().catch(() => {});
    drawConsumers().catch(() => {});
  }, 2000);
  cleanup.push(() => clearInterval(timer));
}

// The registered consumers (ListStreamConsumers) with their open SubscribeToShard subscriptions
// (the server's subscription hub, through /_tributary/console/api/subscriptions).
async function consumerTable(streamName, streamArn) {
  const [listed, open] = await Promise.all([
    aws('kinesis', 'ListStreamConsumers', { StreamARN: streamArn }),
    fetch(`/_tributary/console/api/subscriptions?stream=${encodeURIComponent(streamName)}&region=${region}`)
      .then((r) => r.json()),
  ]);
  if (listed.Consumers.length === 0) return h('p', { class: 'empty' }, 'No registered consumers.');
  const subscriptions = open.Subscriptions || [];
  return h('table', {},
    h('tr', {}, ['Name', 'Status', 'Registered', 'Subscriptions', 'ARN'].map((t) => h('th', {}, t))),
    listed.Consumers.map((c) => {
      const mine = subscriptions.filter((s) => s.ConsumerARN === c.ConsumerARN);
      return h('tr', { class: 'consumer' },
        h('td', { class: 'consumer-name' }, c.ConsumerName),
        h('td', {}, badge(c.ConsumerStatus)),
        h('td', {}, time(c.ConsumerCreationTimestamp)),
        h('td', {}, mine.length === 0 ? h('span', { class: 'empty' }, 'none open')
          : mine.map((s) => h('div', { class: 'subscription' },
            h('span', { class: 'mono sub-shard' }, s.ShardId), ' since ',
            h('span', { class: 'sub-since' }, time(s.StartedMs / 1000)), ': ',
            h('span', { class: 'sub-records' }, s.RecordsPushed), ' records, ',
            h('span', { class: 'sub-bytes' }, s.BytesPushed), ' bytes pushed'))),
        h('td', { class: 'mono' }, c.ConsumerARN));
    }));
}

// The live tail: an EventSource on the server's push endpoint.
function liveTail(streamName, shards) {
  const shardSelect = h('select', { id: 'tail-shard' }, h('option', { value: '' }, 'All shards'),
    shards.map((s) => h('option', { value: s.ShardId }, s.ShardId)));
  const fromSelect = h('select', { id: 'tail-from' },
    ['LATEST', 'TRIM_HORIZON', 'AT_TIMESTAMP'].map((f) => h('option', { value: f }, f)));
  const timestamp = h('input', { id: 'tail-timestamp', type: 'datetime-local', step: '1' });
  const filter = h('input', { id: 'tail-filter', placeholder: 'partition key contains…' });
  const format = h('select', { id: 'tail-format' },
    [['text', 'UTF-8 text'], ['json', 'Pretty JSON'], ['hex', 'Hex']].map(([v, t]) => h('option', { value: v }, t)));
  const pause = h('button', { id: 'tail-pause' }, 'Pause');
  const state = h('span', { id: 'tail-state', class: 'badge' }, 'connecting');
  const list = h('div', { id: 'tail-records', class: 'tail' }, h('p', { class: 'empty' }, 'Waiting for records…'));
  let paused = false;
  let held = [];
  let source = null;
  let count = 0;

  let shown = [];  // the records on screen, oldest first (drawn again when the format changes)
  const show = (record, redraw = false) => {
    if (!redraw) {
      shown.push(record);
      if (shown.length > 500) shown.shift();
    }
    if (filter.value && !record.PartitionKey.includes(filter.value)) return;
    if (count === 0) list.replaceChildren();
    count += 1;
    const bytes = decodeBase64(record.Data);
    const users = record.KplRecords;
    const element = h('div', { class: 'rec' },
      h('div', { class: 'meta' },
        h('span', {}, time(record.ApproximateArrivalTimestamp)),
        h('span', { class: 'mono' }, record.ShardId),
        h('span', {}, 'key ', h('b', { class: 'pk' }, record.PartitionKey)),
        h('span', { class: 'mono' }, 'seq ', record.SequenceNumber),
        users ? badge(`KPL aggregated · ${users.length} user records`, 'kpl') : null),
      users
        ? users.map((u, i) => h('div', { class: 'user' },
            h('div', { class: 'meta' }, h('span', {}, `#${i}`), h('span', {}, 'key ', h('b', {}, u.PartitionKey)),
              u.ExplicitHashKey ? h('span', { class: 'mono' }, `hash ${u.ExplicitHashKey}`) : null),
            h('pre', { class: 'data' }, renderData(decodeBase64(u.Data), format.value))))
        : h('pre', { class: 'data' }, renderData(bytes, format.value)));
    list.prepend(element);
    while (list.childElementCount > 500) list.lastElementChild.remove();
  };

  const redraw = () => {
    count = 0;
    list.replaceChildren(h('p', { class: 'empty' }, 'Waiting for records…'));
    shown.forEach((record) => show(record, true));
  };
  format.addEventListener('change', redraw);
  filter.addEventListener('input', redraw);
  const connect = () => {
    source?.close();
    shown = [];
    held = [];
    count = 0;
    list.replaceChildren(h('p', { class: 'empty' }, 'Waiting for records…'));
    const params = new URLSearchParams({ stream: streamName, region, from: fromSelect.value });
    if (shardSelect.value) params.set('shard', shardSelect.value);
    if (fromSelect.value === 'AT_TIMESTAMP') {
      params.set('timestamp', String(timestamp.value ? new Date(timestamp.value).getTime() : Date.now()));
    }
    source = new EventSource(`/_tributary/console/api/tail?${params}`);
    state.textContent = 'connecting';
    state.className = 'badge starting';
    source.addEventListener('ready', () => { state.textContent = 'live'; state.className = 'badge open'; });
    source.addEventListener('record', (event) => {
      const record = JSON.parse(event.data);
      if (paused) held.push(record); else show(record);
    });
    source.addEventListener('end', () => { state.textContent = 'ended'; state.className = 'badge closed'; source.close(); });
    source.onerror = () => { state.textContent = 'reconnecting'; state.className = 'badge starting'; };
  };
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? `Resume` : 'Pause';
    if (!paused) { held.forEach((record) => show(record)); held = []; }
  });
  for (const control of [shardSelect, fromSelect, timestamp]) control.addEventListener('change', connect);
  cleanup.push(() => source?.close());
  connect();
  return h('div', {},
    h('div', { class: 'toolbar' }, shardSelect, fromSelect, timestamp, filter, format, pause, state),
    list);
}

// ---- tables ----------------------------------------------------------------------------------

// DynamoDB JSON to plain JSON.
function plain(value) {
  const [type, v] = Object.entries(value)[0];
  switch (type) {
    case 'S': case 'B': return v;
    case 'N': return Number(v);
    case 'BOOL': return v;
    case 'NULL': return null;
    case 'SS': case 'BS': return v;
    case 'NS': return v.map(Number);
    case 'L': return v.map(plain);
    case 'M': return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    default: return value;
  }
}
const plainItem = (item) => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, plain(v)]));
const keySchemaText = (schema) => schema.map((k) => `${k.AttributeName} (${k.KeyType})`).join(', ');

// The newest records of a table's DynamoDB stream (its latest one), read through the DynamoDB
// Streams API like any consumer: every shard from TRIM_HORIZON, at most `perShard` records each,
// the newest `keep` of all shown, oldest first.
async function latestStreamRecords(streamArn, { perShard = 5000, keep = 100 } = {}) {
  const shards = [];
  let input = { StreamArn: streamArn };
  for (;;) {
    const page = (await aws('dynamodbstreams', 'DescribeStream', input)).StreamDescription;
    shards.push(...page.Shards);
    if (!page.LastEvaluatedShardId) break;
    input = { StreamArn: streamArn, ExclusiveStartShardId: page.LastEvaluatedShardId };
  }
  const records = [];
  for (const shard of shards) {
    let iterator = (await aws('dynamodbstreams', 'GetShardIterator', {
      StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' })).ShardIterator;
    let read = 0;
    while (iterator && read < perShard) {
      const page = await aws('dynamodbstreams', 'GetRecords', { ShardIterator: iterator, Limit: 1000 });
      records.push(...page.Records.map((r) => ({ ...r, ShardId: shard.ShardId })));
      read += page.Records.length;
      if (page.Records.length === 0) break;  // caught up (an open shard always has a next iterator)
      iterator = page.NextShardIterator;
    }
  }
  // Shards of one table stream are a lineage: ordered by creation time, and sequence numbers grow
  // from parent to child; within a shard, sequence numbers order the records.
  const order = (r) => [r.dynamodb.ApproximateCreationDateTime, BigInt(r.dynamodb.SequenceNumber)];
  records.sort((a, b) => {
    const [ta, sa] = order(a);
    const [tb, sb] = order(b);
    return ta - tb || (sa < sb ? -1 : sa > sb ? 1 : 0);
  });
  return records.slice(-keep);
}

function streamRecordsSection(table, view) {
  const section = h('div', { id: 'stream-records' });
  if (!table.LatestStreamArn) {
    section.append(h('p', { class: 'empty' }, 'No stream: enable one with StreamSpecification.'));
    return section;
  }
  const body = h('div', {}, 'Loading…');
  const load = async () => {
    try {
      const records = await latestStreamRecords(table.LatestStreamArn);
      const images = (r) => ['Keys', 'OldImage', 'NewImage'].filter((m) => r.dynamodb[m]).map((m) =>
        h('div', {}, h('b', {}, m), h('pre', { class: 'item' }, JSON.stringify(
          view.value === 'plain' ? plainItem(r.dynamodb[m]) : r.dynamodb[m], null, 2))));
      body.replaceChildren(records.length === 0 ? h('p', { class: 'empty' }, 'No records yet.')
        : h('table', {}, h('tr', {}, ['Event', 'Time', 'Shard / sequence number', 'Keys and images'].map((t) => h('th', {}, t))),
            records.map((r) => h('tr', { class: 'stream-record' },
              h('td', {}, badge(r.eventName, `event ${r.eventName}`)),
              h('td', {}, time(r.dynamodb.ApproximateCreationDateTime)),
              h('td', { class: 'mono' }, r.ShardId, h('br'), r.dynamodb.SequenceNumber),
              h('td', {}, images(r))))));
    } catch (error) {
      body.replaceChildren(h('p', { class: 'error' }, error.message));
    }
  };
  section.append(
    h('div', { class: 'toolbar' }, h('span', { class: 'mono' }, table.LatestStreamArn),
      h('button', { id: 'stream-refresh', onclick: load }, 'Refresh')),
    body);
  view.addEventListener('change', load);
  load();
  return section;
}

// A Kinesis stream ARN's parts: arn:aws:kinesis:<region>:<account>:stream/<name>.
function kinesisStreamOfArn(arn) {
  const match = /^arn:[^:]+:kinesis:([^:]*):([^:]*):stream\/(.+)$/.exec(arn);
  return match ? { region: match[1], account: match[2], name: match[3] } : null;
}

// The table's Kinesis streaming destinations: their status (DescribeKinesisStreamingDestination)
// and the newest records delivered for this table, read back from each Kinesis stream by the
// console's api/recent (the records whose tableName and awsRegion are this table's, arrived
// since the table was created; these reads are not counted as traffic out in /metrics).
// Refreshed every 2 s while the page is open.
function destinationSection(table, view) {
  const section = h('div', { id: 'destination' }, 'Loading…');
  const since = String(Math.floor(table.CreationDateTime * 1000));
  let drawn = null;  // what is on screen, to redraw only on a change
  const load = async () => {
    const { KinesisDataStreamDestinations: destinations } =
      await aws('dynamodb', 'DescribeKinesisStreamingDestination', { TableName: table.TableName });
    const deliveries = await Promise.all(destinations.map(async (d) => {
      const stream = kinesisStreamOfArn(d.StreamArn);
      if (!stream) return { error: `not a Kinesis stream ARN: ${d.StreamArn}` };
      const params = new URLSearchParams({ stream: stream.name, region: stream.region, account: stream.account,
                                           table: table.TableName, since, limit: '25' });
      const response = await fetch(`/_tributary/console/api/recent?${params}`);
      const body = await response.json();
      return response.ok ? body : { error: body.message };
    }));
    const state = JSON.stringify([destinations, deliveries, view.value]);
    if (state === drawn) return;
    drawn = state;
    if (destinations.length === 0) {
      section.replaceChildren(h('p', { class: 'empty' },
        'No Kinesis streaming destination: enable one with EnableKinesisStreamingDestination ' +
        '(or KinesisStreamingDestination in an --init file).'));
      return;
    }
    const streamLink = (arn) => {
      const stream = kinesisStreamOfArn(arn);
      return stream && stream.region === region
        ? h('a', { href: `#/stream/${encodeURIComponent(stream.name)}`, class: 'destination-stream' }, stream.name)
        : h('span', { class: 'destination-stream' }, stream?.name ?? arn);
    };
    const keys = (record) => JSON.stringify(view.value === 'plain' ? plainItem(record.dynamodb.Keys) : record.dynamodb.Keys);
    const parts = [h('table', { id: 'destination-status' },
      h('tr', {}, ['Kinesis stream', 'Status', 'Status description', 'Creation time precision', 'ARN'].map((t) => h('th', {}, t))),
      destinations.map((d) => h('tr', { class: 'destination' },
        h('td', {}, streamLink(d.StreamArn)),
        h('td', {}, badge(d.DestinationStatus)),
        h('td', {}, d.DestinationStatusDescription ?? '—'),
        h('td', {}, d.ApproximateCreationDateTimePrecision ?? 'MILLISECOND (not set)'),
        h('td', { class: 'mono' }, d.StreamArn))))];
    destinations.forEach((d, i) => {
      const delivered = deliveries[i];
      parts.push(h('h3', {}, 'Recent deliveries to ', streamLink(d.StreamArn)));
      if (delivered.error) {
        parts.push(h('p', { class: 'error' }, delivered.error));
        return;
      }
      const rows = delivered.Records.map((r) => {
        let record;
        try {
          record = JSON.parse(new TextDecoder().decode(decodeBase64(r.Data)));
        } catch {
          return null;
        }
        return h('tr', { class: 'delivery' },
          h('td', {}, time(r.ApproximateArrivalTimestamp)),
          h('td', {}, badge(record.eventName, `event ${record.eventName}`)),
          h('td', { class: 'mono keys' }, keys(record)),
          h('td', { class: 'mono' }, r.ShardId, h('br'), r.SequenceNumber),
          h('td', { class: 'mono' }, r.PartitionKey),
          h('td', {}, h('details', {}, h('summary', {}, 'record'),
            h('pre', { class: 'item' }, JSON.stringify(record, null, 2)))));
      }).filter(Boolean);
      parts.push(rows.length === 0 ? h('p', { class: 'empty' }, 'Nothing delivered yet.')
        : h('table', { class: 'deliveries' },
            h('tr', {}, ['Arrival', 'Event', 'Keys', 'Shard / sequence number', 'Partition key', 'Record']
              .map((t) => h('th', {}, t))),
            rows));
      if (delivered.ScanLimited) parts.push(h('p', { class: 'empty' }, 'Only the newest records of the stream were searched.'));
    });
    section.replaceChildren(...parts);
  };
  const refresh = () => load().catch((error) => {
    drawn = null;
    section.replaceChildren(h('p', { class: 'error' }, error.message));
  });
  view.addEventListener('change', refresh);
  refresh();
  const timer = setInterval(refresh, 2000);
  cleanup.push(() => clearInterval(timer));
  return section;
}

async function tablesPage() {
  main.replaceChildren(h('h1', {}, 'DynamoDB tables'), h('div', { id: 'tables' }, 'Loading…'));
  const names = [];
  let input = {};
  for (;;) {
    const page = await aws('dynamodb', 'ListTables', input);
    names.push(...page.TableNames);
    if (!page.LastEvaluatedTableName) break;
    input = { ExclusiveStartTableName: page.LastEvaluatedTableName };
  }
  const tables = await Promise.all(names.map((n) => aws('dynamodb', 'DescribeTable', { TableName: n }).then((r) => r.Table)));
  document.getElementById('tables').replaceChildren(tables.length === 0
    ? h('p', { class: 'empty' }, 'No tables yet.')
    : h('table', { id: 'table-list' },
        h('tr', {}, ['Name', 'Status', 'Key schema', 'Indexes', 'Items', 'Stream'].map((t) => h('th', {}, t))),
        tables.map((t) => h('tr', {},
          h('td', {}, h('a', { href: `#/table/${encodeURIComponent(t.TableName)}` }, t.TableName)),
          h('td', {}, badge(t.TableStatus)),
          h('td', { class: 'mono' }, keySchemaText(t.KeySchema)),
          h('td', {}, [...(t.GlobalSecondaryIndexes || []), ...(t.LocalSecondaryIndexes || [])].map((i) => i.IndexName).join(', ') || '—'),
          h('td', {}, t.ItemCount ?? 0),
          h('td', {}, t.StreamSpecification?.StreamEnabled ? t.StreamSpecification.StreamViewType : '—')))));
}

async function tablePage(name) {
  const table = (await aws('dynamodb', 'DescribeTable', { TableName: name })).Table;
  const indexes = [...(table.GlobalSecondaryIndexes || []).map((i) => ({ ...i, kind: 'global' })),
                   ...(table.LocalSecondaryIndexes || []).map((i) => ({ ...i, kind: 'local' }))];
  const hashKey = table.KeySchema.find((k) => k.KeyType === 'HASH').AttributeName;
  const index = h('select', { id: 'item-index' }, h('option', { value: '' }, 'Table'),
    indexes.map((i) => h('option', { value: i.IndexName }, `${i.IndexName} (${i.kind})`)));
  const mode = h('select', { id: 'item-mode' }, h('option', { value: 'Scan' }, 'Scan'), h('option', { value: 'Query' }, 'Query'));
  const keyValue = h('input', { id: 'item-key', placeholder: `partition key value` });
  const limit = h('input', { id: 'item-limit', type: 'number', value: '25', min: '1', style: 'width:80px' });
  const view = h('select', { id: 'item-view' }, h('option', { value: 'plain' }, 'Plain JSON'), h('option', { value: 'dynamodb' }, 'DynamoDB JSON'));
  const results = h('div', { id: 'items' });
  const next = h('button', { id: 'item-next', disabled: true }, 'Next page');
  let lastKey = null;
  let items = [];
  const draw = () => {
    results.replaceChildren(items.length === 0 ? h('p', { class: 'empty' }, 'No items.')
      : h('table', {}, h('tr', {}, h('th', {}, 'Item')),
          items.map((item) => h('tr', {}, h('td', {}, h('pre', { class: 'item' },
            JSON.stringify(view.value === 'plain' ? plainItem(item) : item, null, 2)))))));
  };
  const run = async (page) => {
    const input = { TableName: name, Limit: Number(limit.value) || 25 };
    if (index.value) input.IndexName = index.value;
    if (page && lastKey) input.ExclusiveStartKey = lastKey;
    if (mode.value === 'Query') {
      const schema = index.value ? indexes.find((i) => i.IndexName === index.value).KeySchema : table.KeySchema;
      const attribute = schema.find((k) => k.KeyType === 'HASH').AttributeName;
      const type = table.AttributeDefinitions.find((a) => a.AttributeName === attribute).AttributeType;
      input.KeyConditionExpression = '#k = :v';
      input.ExpressionAttributeNames = { '#k': attribute };
      input.ExpressionAttributeValues = { ':v': { [type]: keyValue.value } };
    }
    try {
      const output = await aws('dynamodb', mode.value, input);
      items = output.Items;
      lastKey = output.LastEvaluatedKey || null;
      next.disabled = !lastKey;
      draw();
    } catch (error) {
      results.replaceChildren(h('p', { class: 'error' }, error.message));
    }
  };
  next.addEventListener('click', () => run(true));
  view.addEventListener('change', draw);
  const fact = (label, value) => h('div', {}, h('b', {}, label), value);
  main.replaceChildren(
    h('h1', {}, 'Table ', name, ' ', badge(table.TableStatus)),
    h('div', { class: 'facts' },
      fact('Key schema', h('span', { class: 'mono' }, keySchemaText(table.KeySchema))),
      fact('Billing', table.BillingModeSummary?.BillingMode ?? 'PROVISIONED'),
      fact('Items', table.ItemCount ?? 0),
      fact('Size', `${table.TableSizeBytes ?? 0} bytes`),
      fact('Stream', table.StreamSpecification?.StreamEnabled ? `${table.StreamSpecification.StreamViewType}` : 'off'),
      fact('ARN', h('span', { class: 'mono' }, table.TableArn))),
    h('h2', {}, 'Indexes'),
    indexes.length === 0 ? h('p', { class: 'empty' }, 'No secondary indexes.')
      : h('table', {}, h('tr', {}, ['Name', 'Kind', 'Key schema', 'Projection'].map((t) => h('th', {}, t))),
          indexes.map((i) => h('tr', {}, h('td', {}, i.IndexName), h('td', {}, i.kind),
            h('td', { class: 'mono' }, keySchemaText(i.KeySchema)), h('td', {}, i.Projection?.ProjectionType)))),
    h('h2', {}, 'Items'),
    h('div', { class: 'toolbar' }, mode, index, keyValue, 'Limit', limit,
      h('button', { class: 'primary', id: 'item-run', onclick: () => run(false) }, 'Run'), next, view),
    results,
    h('h2', {}, 'Stream records'),
    streamRecordsSection(table, view),
    h('h2', {}, 'Kinesis streaming destination'),
    destinationSection(table, view));
  keyValue.placeholder = `${hashKey} value (Query)`;
  await run(false);
}

// ---- routing ---------------------------------------------------------------------------------

async function route() {
  cleanup.forEach((stop) => stop());
  cleanup = [];
  const [, page, argument] = (location.hash || '#/streams').split('/');
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.classList.toggle('active', link.dataset.nav === page || `${link.dataset.nav}` === `${page}s`);
  }
  try {
    if (page === 'stream' && argument) await streamPage(decodeURIComponent(argument));
    else if (page === 'tables') await tablesPage();
    else if (page === 'table' && argument) await tablePage(decodeURIComponent(argument));
    else await streamsPage();
  } catch (error) {
    showError(error);
  }
}

window.addEventListener('hashchange', route);
await refreshHealth();
setInterval(refreshHealth, 5000);
route();
