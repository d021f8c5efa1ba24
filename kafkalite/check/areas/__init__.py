"""The checks, one module per area; importing this package registers them all."""

from kafkalite.check.areas import (  # noqa: F401
    acls,
    admin,
    api_versions,
    clients,
    consumer_groups,
    fetch,
    groups,
    idempotence,
    list_offsets,
    malformed,
    metadata,
    new_groups,
    produce,
    transactions,
)
