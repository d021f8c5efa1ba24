'use strict'
// Default producer (acks -1, optionally gzip) sends the test's records, then a consumer
// with a group and KafkaJS's defaults (read_committed) reads them all back.
//
// stdin: {bootstrap, timeoutMs, topic, partitions, createTopics, codec, chunk, groupId,
//         records: [{partition, key, value, headers: [[k, v]], timestamp}] (bytes base64),
//         producer: {...extra producer options}, counts: {partition: n}, idleMs}
// stdout: "sent" lines per send, "topicState", "record" lines, "consumed", "done".

const lib = require('./lib')

lib.runScript(async config => {
  const kafka = lib.makeKafka(config)
  const { topic, records } = config
  if (config.createTopics) await lib.createTopic(kafka, topic, config.partitions)

  const producer = kafka.producer(config.producer || {})
  await producer.connect()
  try {
    await lib.produceRecords(producer, topic, records, { chunk: config.chunk, codec: config.codec })
  } finally {
    await producer.disconnect()
  }
  await lib.topicState(kafka, topic)

  const consumer = kafka.consumer({ groupId: config.groupId })
  await lib.consumeCounts(consumer, topic, config.counts, { idleMs: config.idleMs })
})
