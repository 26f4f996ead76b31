"""The signing key of a single machine that was given none: generated once, kept in a file only
its owner can read, and read by every process that starts afterwards."""

import os
import secrets
import tempfile
from pathlib import Path


def machine_secret_key(path):
    path = Path(path)
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Written whole under another name, then linked into place: the link fails if another
    # process got there first, and nobody ever reads a key file that is still being written.
    fd, draft = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
    try:
        with os.fdopen(fd, "w") as file:
            file.write(key + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:
            return path.read_text().strip()
    finally:
        os.unlink(draft)
    return key
