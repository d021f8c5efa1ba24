"""The checks, one module per area; importing this package registers them all."""

from kafkalite.check.areas import (  # noqa: F401
    admin,
    api_versions,
    clients,
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
