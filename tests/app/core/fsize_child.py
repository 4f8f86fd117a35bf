"""Child of the file-size-limit test (not a test module): a sale refused by the kernel.

Usage: ``python fsize_child.py DATA_DIR``. Validates 3 sales, then lowers its
own ``RLIMIT_FSIZE`` to the current size of the WAL file (with SIGXFSZ
ignored, so a write past it fails with EFBIG instead of killing the process),
tries to validate a sale, restores the limit and validates again. Prints
``SOLD <seq>``, ``REFUSED <message>``, ``HEAD <seq>`` lines. Needs no root.
"""

from __future__ import annotations

import resource
import signal
import sys
from pathlib import Path

from store_samples import make_sale_body

from app.core.errors import StoreWriteError
from app.core.store import DeviceStore
from app.core.store.database import DATABASE_FILE_NAME


def main(data_dir: Path) -> None:
    with DeviceStore.open(data_dir) as store:
        for _ in range(3):
            print(f"SOLD {store.validate_sale(make_sale_body).seq}", flush=True)
        soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        wal = data_dir / f"{DATABASE_FILE_NAME}-wal"
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (wal.stat().st_size, hard))
        try:
            store.validate_sale(make_sale_body)
        except StoreWriteError as exc:
            print(f"REFUSED {exc}", flush=True)
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        print(f"HEAD {store.head().seq}", flush=True)
        print(f"SOLD {store.validate_sale(make_sale_body).seq}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
