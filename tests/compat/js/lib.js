'use strict'
// Shared pieces of the KafkaJS scripts that tests/compat/test_kafkajs.py runs.
//
// Every script reads one JSON object on stdin (its configuration, always with
// `bootstrap` and `timeoutMs`) and writes JSON lines on stdout, one object per event.
// KafkaJS's own log lines go to stderr (ERROR level only), so stdout is pure JSON.
// A script ends with {"type": "done"} and exit code 0, or {"type": "error", ...} and
// exit code 1, or {"type": "timeout"} and exit code 3 when its own deadline passes.

const { Kafka, logLevel, CompressionTypes } = require('kafkajs')

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n')
}

function finish(code) {
  // stdout to a pipe is synchronous on Linux; the callback waits for it elsewhere.
  process.stdout.write('', () => process.exit(code))
}

function readConfig() {
  return new Promise((resolve, reject) => {
    const chunks = []
    process.stdin.on('data', c => chunks.push(c))
    process.stdin.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      } catch (e) {
        reject(e)
      }
    })
    process.stdin.on('error', reject)
  })
}

function stderrLogCreator() {
  return ({ namespace, level, label, log }) => {
    const { message, ...extra } = log
    process.stderr.write(`[kafkajs ${label} ${namespace}] ${message} ${JSON.stringify(extra)}\n`)
  }
}

function makeKafka(config, clientId) {
  return new Kafka({
    clientId: clientId || 'kafkalite-compat-kafkajs',
    brokers: [config.bootstrap],
    logLevel: logLevel.ERROR,
    logCreator: stderrLogCreator,
  })
}

function errorInfo(e) {
  const out = {
    name: e && e.name,
    message: e && e.message,
    type: e && e.type,
    code: e && e.code,
    retriable: e && e.retriable,
  }
  if (e && e.originalError) out.original = errorInfo(e.originalError)
  if (e && Array.isArray(e.errors)) out.errors = e.errors.map(errorInfo)
  if (e && e.stack) out.stack = String(e.stack).split('\n').slice(0, 8).join('\n')
  return out
}

// Run main(config) under a hard deadline of config.timeoutMs.
function runScript(main) {
  readConfig()
    .then(config => {
      const timer = setTimeout(() => {
        emit({ type: 'timeout', afterMs: config.timeoutMs })
        finish(3)
      }, config.timeoutMs)
      return Promise.resolve(main(config)).then(() => {
        clearTimeout(timer)
        emit({ type: 'done' })
        finish(0)
      })
    })
    .catch(e => {
      emit({ type: 'error', error: errorInfo(e) })
      finish(1)
    })
}

const b64 = buf => (buf == null ? null : Buffer.from(buf).toString('base64'))
const unb64 = s => (s == null ? null : Buffer.from(s, 'base64'))

// A record from the test (base64 key/value/header values) as a KafkaJS message.
function toMessage(r) {
  const headers = {}
  for (const [k, v] of r.headers) headers[k] = unb64(v)
  const m = { key: unb64(r.key), value: unb64(r.value), headers, timestamp: String(r.timestamp) }
  if (r.partition != null) m.partition = r.partition
  return m
}

function compression(codec) {
  if (!codec || codec === 'none') return CompressionTypes.None
  if (codec === 'gzip') return CompressionTypes.GZIP
  throw new Error(`codec ${codec} is not built into KafkaJS`)
}

// Produce `records` in sends of `chunk` records each, awaited one after the other.
// Emits {"type": "sent", "send": i, "metadata": [...]} for every send.
async function produceRecords(producer, topic, records, { chunk = 100, codec, label } = {}) {
  for (let i = 0, n = 0; i < records.length; i += chunk, n++) {
    const messages = records.slice(i, i + chunk).map(toMessage)
    const metadata = await producer.send({ topic, messages, compression: compression(codec) })
    emit({
      type: 'sent',
      label: label || null,
      send: n,
      first: i,
      count: messages.length,
      metadata: metadata.map(m => ({
        topic: m.topicName,
        partition: m.partition,
        errorCode: m.errorCode,
        baseOffset: m.baseOffset,
        logAppendTime: m.logAppendTime,
        logStartOffset: m.logStartOffset,
      })),
    })
  }
}

// A consumed message as a JSON line: bytes in base64, header order as decoded.
function messageJson(partition, message, label) {
  const ctx = message.batchContext || {}
  const offset = Number(message.offset)
  const firstSequence = ctx.firstSequence == null ? null : Number(ctx.firstSequence)
  const headers = []
  for (const [k, v] of Object.entries(message.headers || {})) {
    if (Array.isArray(v)) for (const x of v) headers.push([k, b64(x)])
    else headers.push([k, b64(v)])
  }
  return {
    type: 'record',
    label: label || null,
    partition,
    offset,
    key: b64(message.key),
    value: b64(message.value),
    headers,
    timestamp: Number(message.timestamp),
    timestampType: ctx.timestampType,
    producerId: ctx.producerId == null ? null : String(ctx.producerId),
    producerEpoch: ctx.producerEpoch == null ? null : Number(ctx.producerEpoch),
    // the batch this record came in, as the broker returned it
    batchFirstOffset: ctx.firstOffset == null ? null : Number(ctx.firstOffset),
    batchFirstSequence: firstSequence,
    inTransaction: ctx.inTransaction,
    isControlRecord: message.isControlRecord,
  }
}

// Run a consumer on `topic` until counts[partition] records of every partition arrived,
// or no record has come for idleMs. Every record is emitted as it arrives. `run` holds
// extra consumer.run() options (autoCommit is one of them, not a consumer() option).
// onAllRead runs while the consumer is still a member of its group. The consumer is
// disconnected (LeaveGroup, plus KafkaJS's own commits) before this returns.
async function consumeCounts(
  consumer,
  topic,
  counts,
  { idleMs = 20000, label, fromBeginning = true, onAllRead, run = {} } = {}
) {
  const have = {}
  for (const p of Object.keys(counts)) have[p] = 0
  const complete = () => Object.keys(counts).every(p => have[p] >= counts[p])
  let lastRecord = Date.now()
  let resolveDone
  const done = new Promise(resolve => (resolveDone = resolve))
  const idle = setInterval(() => {
    if (Date.now() - lastRecord > idleMs) resolveDone('idle')
  }, 250)
  // every OffsetCommit KafkaJS sends, for the test's diagnostics
  const offCommit = consumer.on(consumer.events.COMMIT_OFFSETS, e =>
    emit({ type: 'offsetCommit', label: label || null, topics: e.payload.topics })
  )
  try {
    await consumer.connect()
    await consumer.subscribe({ topics: [topic], fromBeginning })
    await consumer.run({
      ...run,
      eachMessage: async ({ partition, message }) => {
        lastRecord = Date.now()
        have[partition] = (have[partition] || 0) + 1
        emit(messageJson(partition, message, label))
        if (complete()) resolveDone('complete')
      },
    })
    lastRecord = Date.now()
    if (complete()) resolveDone('complete')
    const how = await done
    emit({ type: 'consumed', label: label || null, how, counts: have })
    if (onAllRead) await onAllRead(how)
  } finally {
    clearInterval(idle)
    await consumer.disconnect()
    offCommit()
  }
}

// CreateTopics through the admin client, when the test says the broker has it. Without
// it the topic comes from auto-creation by the producer's first Metadata request (the
// admin client never auto-creates).
async function createTopic(kafka, topic, partitions) {
  const admin = kafka.admin()
  await admin.connect()
  try {
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    })
    emit({ type: 'createTopics', topic, created })
  } finally {
    await admin.disconnect()
  }
}

// The topic's partition ids and the latest/earliest offsets, through the admin client.
async function topicState(kafka, topic, label) {
  const admin = kafka.admin()
  await admin.connect()
  try {
    const md = await admin.fetchTopicMetadata({ topics: [topic] })
    const ids = md.topics[0].partitions.map(p => p.partitionId).sort((a, b) => a - b)
    const offsets = await admin.fetchTopicOffsets(topic)
    offsets.sort((a, b) => a.partition - b.partition)
    const state = { type: 'topicState', label: label || null, topic, partitions: ids, offsets }
    emit(state)
    return state
  } finally {
    await admin.disconnect()
  }
}

module.exports = {
  emit,
  runScript,
  makeKafka,
  errorInfo,
  b64,
  unb64,
  toMessage,
  produceRecords,
  messageJson,
  consumeCounts,
  createTopic,
  topicState,
  stderrLogCreator,
}
