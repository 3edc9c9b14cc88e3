"""Attachment files, stored byte for byte under content-addressed names.

The sender's filename is kept only as data for display; the file on disk is named by the SHA-256
of its content, so no attachment name can ever escape the store, collide, or overwrite another.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class StoredFile:
    sha256: str
    size: int
    stored_name: str


class AttachmentStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, data: bytes) -> StoredFile:
        """Write ``data`` durably (temp file, fsync, rename); identical content is stored once."""
        digest = hashlib.sha256(data).hexdigest()
        stored_name = f"{digest[:2]}/{digest}"
        target = self.path_of(stored_name)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return StoredFile(sha256=digest, size=len(data), stored_name=stored_name)

    def path_of(self, stored_name: str) -> Path:
        return self.root / stored_name

    def read(self, stored_name: str) -> bytes:
        return self.path_of(stored_name).read_bytes()
