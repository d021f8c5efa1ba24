'use strict'
// Consumer A of a group reads the first records and commits (KafkaJS auto-commit, or an
// explicit commitOffsets with autoCommit off), then leaves. More records are produced,
// and consumer B of the same group must resume exactly at the committed offsets.
//
// stdin: {bootstrap, timeoutMs, topic, partitions, createTopics, groupId, mode: "auto" |
//         "manual", first: [records], second: [records], commitAt: {partition: offset}
//         (manual), countsA: {partition: n}, countsB: {partition: n}, idleMs}
// stdout: "sent" (label first/second), "record" (label A/B), "consumed", "commit",
//         "committed" (label A/B: the group's offsets through admin.fetchOffsets), "done".

const lib = require('./lib')

async function committed(kafka, groupId, topic, label) {
  const admin = kafka.admin()
  await admin.connect()
  try {
    const [answer] = await admin.fetchOffsets({ groupId, topics: [topic] })
    const offsets = {}
    for (const p of answer.partitions) offsets[p.partition] = p.offset
    lib.emit({ type: 'committed', label, offsets })
  } finally {
    await admin.disconnect()
  }
}

async function produce(kafka, topic, records, label) {
  const producer = kafka.producer()
  await producer.connect()
  try {
    await lib.produceRecords(producer, topic, records, { label })
  } finally {
    await producer.disconnect()
  }
}

lib.runScript(async config => {
  const kafka = lib.makeKafka(config)
  const { topic, groupId, mode } = config
  if (config.createTopics) await lib.createTopic(kafka, topic, config.partitions)
  await produce(kafka, topic, config.first, 'first')

  const consumerA = kafka.consumer({ groupId })
  await lib.consumeCounts(consumerA, topic, config.countsA, {
    label: 'A',
    run: mode === 'manual' ? { autoCommit: false } : {},
    idleMs: config.idleMs,
    onAllRead: async () => {
      if (mode !== 'manual') return
      const offsets = Object.entries(config.commitAt).map(([partition, offset]) => ({
        topic,
        partition: Number(partition),
        offset: String(offset),
      }))
      await consumerA.commitOffsets(offsets)
      lib.emit({ type: 'commit', offsets })
    },
  })
  await committed(kafka, groupId, topic, 'A')

  await produce(kafka, topic, config.second, 'second')
  // B keeps KafkaJS's defaults; fromBeginning only applies without a committed offset.
  const consumerB = kafka.consumer({ groupId })
  await lib.consumeCounts(consumerB, topic, config.countsB, { label: 'B', idleMs: config.idleMs })
  await committed(kafka, groupId, topic, 'B')
})
