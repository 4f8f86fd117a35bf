"""``skytill run`` / ``make run``: the whole product on its embedded demo shop.

On this one machine it starts what a shop runs on several: a relay (its own
SQLite database), the café-bakery's documents stored in it, a till provisioned
with a licence and password exactly as an owner would give them, and the
owner's manager signed in to the same relay. The till opens in this process;
the manager in a child process. Everything lives in
``<user data dir>/skytill/demo/`` and is kept between runs (sales included);
the first run creates it.

The owner's and the till's demo credentials are printed, so that the login
screens can be tried too (``skytill till --relay URL`` on a new data dir).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

__all__ = [
    "DemoShopAccess",
    "demo_root",
    "provision_till",
    "run_demo",
    "running_relay",
    "shop_access",
]

SHOP_NAME = "Boulangerie du Canal"
OWNER_EMAIL = "patron@boulangerie-du-canal.fr"
STATE_FILE = "demo.json"


@dataclass(frozen=True)
class DemoShopAccess:
    """What the first run created and later runs reuse (``demo.json``)."""

    port: int
    owner_email: str
    owner_password: str
    till_licence: str
    till_password: str


def demo_root() -> Path:
    """``<user data dir>/skytill/demo`` (``SKYTILL_DEMO_DIR`` overrides it)."""
    override = os.environ.get("SKYTILL_DEMO_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("skytill")) / "demo"


def run_demo(lang: str | None = None) -> int:
    """Start relay, manager and till on the demo shop; returns the till's exit code."""
    if not _has_screen():
        print(
            "No screen found (DISPLAY and WAYLAND_DISPLAY are unset): the till and the "
            "manager need one. Run `xvfb-run make run`, or start the relay alone with "
            "`.venv/bin/skytill relay serve`.",
            file=sys.stderr,
        )
        return 1
    root = demo_root()
    root.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{root / 'relay.db'}"
    access = shop_access(root, db_url)
    with running_relay(db_url, access.port) as url:
        _provision_devices(root, url, access)
        print(
            f"Skytill demo: relay {url}, data in {root}\n"
            f"  manager: {access.owner_email} / {access.owner_password}\n"
            f"  till:    licence {access.till_licence} / {access.till_password}",
            flush=True,
        )
        manager = _start_manager(root / "manager", lang)
        try:
            from app.till.main import run_till

            return run_till(data_dir=str(root / "till"), lang=lang)
        finally:
            manager.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                manager.wait(timeout=10)


def _has_screen() -> bool:
    if os.environ.get("QT_QPA_PLATFORM", "") not in ("", "xcb", "wayland"):
        return True  # offscreen, vnc...: the caller chose a platform that needs no screen
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def shop_access(root: Path, db_url: str) -> DemoShopAccess:
    """The demo shop's access, creating shop, owner, till and documents on first run."""
    state = root / STATE_FILE
    if state.exists():
        return DemoShopAccess(**json.loads(state.read_text(encoding="utf-8")))
    from relay_server.provisioning import add_owner, add_till
    from relay_server.storage import open_storage

    access = DemoShopAccess(
        port=_free_port(),
        owner_email=OWNER_EMAIL,
        owner_password=secrets.token_urlsafe(9),
        till_licence="",
        till_password=secrets.token_urlsafe(6),
    )
    storage = open_storage(db_url)
    try:
        owner = add_owner(storage, SHOP_NAME, access.owner_email, access.owner_password)
        till = add_till(storage, SHOP_NAME, "Caisse 1", access.till_password)
        for name, update in _demo_documents().items():
            storage.documents.append(owner.shop_id, name, update)
    finally:
        storage.close()
    access = DemoShopAccess(**{**asdict(access), "till_licence": till.licence_key})
    tmp = state.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(access), indent=2), encoding="utf-8")
    tmp.replace(state)
    return access


def _demo_documents() -> dict[str, bytes]:
    """The demo shop's four documents as updates; the relay lists the tills itself."""
    from crdt_models.documents import ShopDocuments, build_demo_shop

    shop = ShopDocuments.open("demo-seed")
    build_demo_shop(shop, tills=0)
    return {name: doc.get_update() for name, doc in shop.docs.items()}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def running_relay(db_url: str, port: int) -> Iterator[str]:
    """A relay child process on 127.0.0.1:``port``; yields its URL, stops it after."""
    serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--db", db_url]
    process = subprocess.Popen(
        [sys.executable, "-m", "relay_server", *serve],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line.startswith("listening on"):
            raise SystemExit(
                f"The demo relay did not start (port {port} busy? delete "
                f"{demo_root() / STATE_FILE} to pick another): {line.strip()}"
            )
        yield f"ws://127.0.0.1:{port}"
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)


def _provision_devices(root: Path, url: str, access: DemoShopAccess) -> None:
    """Log the till and the manager in once, as their users would on first start."""
    import asyncio

    from app.core.store import DeviceStore
    from app.core.sync import login_owner

    provision_till(root / "till", url, access.till_licence, access.till_password)
    with DeviceStore.open(root / "manager") as manager:
        if not manager.identity.relay_token:
            asyncio.run(login_owner(manager, url, access.owner_email, access.owner_password))


def provision_till(data_dir: Path, url: str, licence: str, password: str) -> None:
    """Log the till of ``data_dir`` in once, as its owner would on its first start."""
    import asyncio

    from app.core.store import DeviceStore
    from app.core.sync import login_till

    with DeviceStore.open(data_dir) as till:
        if not till.identity.relay_token:
            asyncio.run(login_till(till, url, licence, password))


def _start_manager(data_dir: Path, lang: str | None) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "app.cli", "manager", "--data-dir", str(data_dir)]
    return subprocess.Popen([*command, *(["--lang", lang] if lang else [])])
