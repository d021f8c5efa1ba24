'use strict'
// An idempotent producer sends the test's records in sends of `chunk`, awaited one after the
// other, while the broker injects faults; then a group consumer reads them all back.
//
// stdin: {bootstrap ("h:p,h:p"), timeoutMs, topic, groupId, chunk, idleMs,
//         records: [{partition, key, value}] (bytes base64), counts: {partition: n}}
// stdout: "sent" lines per send, "record" lines, "consumed", "done".

const { Kafka, logLevel } = require('kafkajs')
const lib = require('./lib')

lib.runScript(async config => {
  const kafka = new Kafka({
    clientId: 'kafkalite-compat-faults',
    brokers: config.bootstrap.split(','),
    logLevel: logLevel.ERROR,
    logCreator: () => ({ namespace, level, label, log }) =>
      process.stderr.write(`[kafkajs ${label} ${namespace}] ${log.message}\n`),
    retry: { initialRetryTime: 50, maxRetryTime: 500, retries: 10 },
  })
  const records = config.records.map(r => ({ ...r, headers: [] }))
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  try {
    await lib.produceRecords(producer, config.topic, records, { chunk: config.chunk })
  } finally {
    await producer.disconnect()
  }
  const consumer = kafka.consumer({ groupId: config.groupId, maxBytesPerPartition: 64, maxWaitTimeInMs: 200 })
  await lib.consumeCounts(consumer, config.topic, config.counts, { idleMs: config.idleMs })
})
