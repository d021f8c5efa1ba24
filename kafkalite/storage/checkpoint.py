"""Small metadata files of the data directory, in Kafka's formats, written atomically.

Every write goes to ``<name>.tmp``, is fsynced, renamed over the target, and the directory is
fsynced (Kafka's ``CheckpointFile``/``Utils.atomicMoveWithFallback``), so a crash leaves
either the old or the new file, never a torn one.

Formats:
- offset checkpoints (``recovery-point-offset-checkpoint``, ``log-start-offset-checkpoint``;
  Kafka ``OffsetCheckpointFile``): a version line ``0``, a count line, then one
  ``<topic> <partition> <offset>`` line per partition;
- ``<topic>-<partition>/partition.metadata`` (Kafka ``PartitionMetadataFile``):
  ``version: 0`` then ``topic_id: <id>``;
- ``meta.properties`` (Kafka ``MetaProperties``, KRaft form): ``version=1``, ``cluster.id``,
  ``node.id``, ``directory.id``;
- topic and directory ids are printed as Kafka's ``Uuid.toString``: URL-safe base64 of the 16
  bytes without padding (22 characters);
- ``kafkalite-topics.json`` (ours; Kafka keeps this in its metadata log): topic name ->
  ``{"topic_id", "partitions", "configs"}`` where ``configs`` holds only the overrides, as
  strings, and ``"creating": n`` while n partitions past ``partitions`` are being created.
  ``{"version": 1, "topics": {...}}``.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CLEAN_SHUTDOWN_FILE",
    "LOG_START_OFFSET_CHECKPOINT",
    "META_PROPERTIES",
    "PARTITION_METADATA",
    "RECOVERY_POINT_CHECKPOINT",
    "TOPICS_FILE",
    "TopicRecord",
    "atomic_write",
    "fsync_directory",
    "kafka_uuid_string",
    "parse_kafka_uuid",
    "random_kafka_uuid",
    "read_meta_properties",
    "read_offset_checkpoint",
    "read_partition_metadata",
    "read_topics_file",
    "write_meta_properties",
    "write_offset_checkpoint",
    "write_partition_metadata",
    "write_topics_file",
]

META_PROPERTIES = "meta.properties"
RECOVERY_POINT_CHECKPOINT = "recovery-point-offset-checkpoint"
LOG_START_OFFSET_CHECKPOINT = "log-start-offset-checkpoint"
CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown"
PARTITION_METADATA = "partition.metadata"
TOPICS_FILE = "kafkalite-topics.json"


def fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(
    path: Path, data: bytes, *, unless_unchanged: bool = False, durable: bool = True
) -> bool:
    """Replace ``path`` with ``data``: a temporary file, fsync, rename, directory fsync.
    With ``unless_unchanged``, a file that already holds exactly ``data`` is left alone (no
    fsync: a broker restarting on the same state, or checkpointing an idle one, writes
    nothing). With ``durable=False`` nothing is fsynced: the caller syncs the file system
    afterwards (``sync_file_system``). Returns whether it wrote."""
    if unless_unchanged and _holds(path, data):
        return False
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        tmp.unlink(missing_ok=True)  # give back the space a full disk may need
        raise
    os.replace(tmp, path)
    if durable:
        fsync_directory(path.parent)
    return True


def _holds(path: Path, data: bytes) -> bool:
    try:
        with open(path, "rb") as file:
            return file.read(len(data) + 1) == data
    except OSError:
        return False


# -- ids ---------------------------------------------------------------------------------


def kafka_uuid_string(value: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(value.bytes).rstrip(b"=").decode("ascii")


def parse_kafka_uuid(text: str) -> uuid.UUID:
    raw = base64.urlsafe_b64decode(text.strip() + "==")
    if len(raw) != 16:
        raise ValueError(f"{text!r} is not a 16-byte id")
    return uuid.UUID(bytes=raw)


def random_kafka_uuid() -> uuid.UUID:
    """A random id as Kafka's ``Uuid.randomUuid``: never the reserved zero or one ids, and
    never one whose string starts with '-' (it would read as a command-line flag)."""
    for _ in range(100):
        value = uuid.uuid4()
        if value.int > 1 and not kafka_uuid_string(value).startswith("-"):
            return value
    raise RuntimeError("no usable random id in 100 draws")  # pragma: no cover


# -- offset checkpoints ------------------------------------------------------------------


def write_offset_checkpoint(path: Path, offsets: Mapping[tuple[str, int], int]) -> None:
    """Rewrite the checkpoint (atomically, fsynced) unless it already says this."""
    lines = ["0", str(len(offsets))]
    lines += [f"{topic} {partition} {offset}" for (topic, partition), offset in offsets.items()]
    data = ("\n".join(lines) + "\n").encode()
    if not offsets and not path.exists():
        # A first, empty checkpoint (a fresh broker) need not be durable: an absent file
        # reads as empty, and a torn one is ignored with a warning, which loses nothing.
        path.write_bytes(data)
        return
    atomic_write(path, data, unless_unchanged=True)


def read_offset_checkpoint(path: Path) -> dict[tuple[str, int], int]:
    """An empty mapping when the file is absent; ``ValueError`` when it is malformed."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    lines = text.splitlines()
    if len(lines) < 2 or lines[0].strip() != "0":
        raise ValueError(f"{path}: unsupported checkpoint version or empty file")
    count = int(lines[1])
    entries = lines[2 : 2 + count]
    if len(entries) != count:
        raise ValueError(f"{path}: expected {count} entries, found {len(entries)}")
    offsets: dict[tuple[str, int], int] = {}
    for line in entries:
        topic, partition, offset = line.split()
        offsets[(topic, int(partition))] = int(offset)
    return offsets


# -- partition.metadata ------------------------------------------------------------------


def write_partition_metadata(
    partition_dir: Path, topic_id: uuid.UUID, *, durable: bool = True
) -> None:
    """Atomically and durably; ``durable=False`` (a partition being created, made durable
    by ``sync_created`` before its topic is recorded) just writes the file."""
    text = f"version: 0\ntopic_id: {kafka_uuid_string(topic_id)}\n"
    if durable:
        atomic_write(partition_dir / PARTITION_METADATA, text.encode())
    else:
        (partition_dir / PARTITION_METADATA).write_bytes(text.encode())


def sync_created(parent: Path, directories: Sequence[Path]) -> None:
    """Make new partition directories and everything in them durable, and their entries in
    ``parent``. On Linux one ``syncfs`` of the file system does it (creating 10,000
    partitions would otherwise cost two fsyncs each); elsewhere every file and directory is
    fsynced in turn."""
    if _syncfs(parent):
        return
    for directory in directories:
        for path in directory.iterdir():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_directory(directory)
    fsync_directory(parent)


def sync_file_system(path: Path) -> bool:
    """Make everything written on the file system holding ``path`` durable with one
    ``syncfs``; False where it is not offered (the caller then fsyncs file by file)."""
    return _syncfs(path)


def _syncfs(path: Path) -> bool:
    """``syncfs(2)`` on the file system holding ``path``; False where it is not offered."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes  # only here: creating partitions is rare

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError):
        return False
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        if syncfs(fd) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"syncfs {path}: {os.strerror(errno)}")
    finally:
        os.close(fd)
    return True


def read_partition_metadata(partition_dir: Path) -> uuid.UUID | None:
    """The topic id, or ``None`` when the file is missing or unreadable."""
    try:
        text = (partition_dir / PARTITION_METADATA).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    try:
        if fields.get("version", "").strip() != "0":
            return None
        return parse_kafka_uuid(fields["topic_id"])
    except (KeyError, ValueError):
        return None


# -- meta.properties ---------------------------------------------------------------------


def write_meta_properties(data_dir: Path, *, cluster_id: str, node_id: int) -> None:
    text = (
        "#\n"
        f"cluster.id={cluster_id}\n"
        f"directory.id={kafka_uuid_string(random_kafka_uuid())}\n"
        f"node.id={node_id}\n"
        "version=1\n"
    )
    atomic_write(data_dir / META_PROPERTIES, text.encode())


def read_meta_properties(data_dir: Path) -> dict[str, str] | None:
    try:
        text = (data_dir / META_PROPERTIES).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    props: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "!")) and "=" in line:
            key, value = line.split("=", 1)
            props[key.strip()] = value.strip()
    return props


# -- topics file -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TopicRecord:
    topic_id: uuid.UUID
    partitions: int
    configs: dict[str, str]
    creating: int = 0
    """Partitions ``partitions`` .. ``partitions + creating - 1`` are being created: written
    before their directories, cleared once all exist. Found at start, they are removed."""


def write_topics_file(data_dir: Path, topics: Mapping[str, TopicRecord]) -> None:
    document = {
        "version": 1,
        "topics": {
            name: {
                "topic_id": kafka_uuid_string(record.topic_id),
                "partitions": record.partitions,
                "configs": dict(sorted(record.configs.items())),
                **({"creating": record.creating} if record.creating else {}),
            }
            for name, record in sorted(topics.items())
        },
    }
    # compact (the C encoder): rewritten on every creation, and it lists every topic
    atomic_write(
        data_dir / TOPICS_FILE,
        (json.dumps(document, separators=(",", ":")) + "\n").encode(),
        unless_unchanged=True,
    )


def read_topics_file(data_dir: Path) -> dict[str, TopicRecord]:
    try:
        document = json.loads((data_dir / TOPICS_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    if document.get("version") != 1:
        raise ValueError(f"{TOPICS_FILE}: unsupported version {document.get('version')!r}")
    return {
        name: TopicRecord(
            topic_id=parse_kafka_uuid(entry["topic_id"]),
            partitions=int(entry["partitions"]),
            configs={str(k): str(v) for k, v in entry.get("configs", {}).items()},
            creating=int(entry.get("creating", 0)),
        )
        for name, entry in document["topics"].items()
    }
