"""``python -m benchmarks --from-json``: re-rendering an earlier run's report replaces the
published ``docs/benchmarks.md`` only when that run was a full run of every scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import runner

PUBLISHED = Path(runner.__file__).resolve().parent / "results.json"


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the runner publishes its Markdown during the test (not the real docs)."""
    target = tmp_path / "benchmarks.md"
    monkeypatch.setattr(runner, "DOCS", target)
    return target


def _earlier_run(tmp_path: Path, drop: str | None) -> Path:
    results = json.loads(PUBLISHED.read_text())
    assert not results["quick"]
    if drop == "domain":
        del results["domain"]
    elif drop is not None:
        del results["scenarios"][drop]
    path = tmp_path / "earlier.json"
    path.write_text(json.dumps(results))
    return path


def test_a_full_run_is_published(tmp_path: Path, docs: Path) -> None:
    assert runner.main(["--from-json", str(_earlier_run(tmp_path, None))]) == 0
    assert "## Domain figures" in docs.read_text()


@pytest.mark.parametrize("drop", ["fanout", "domain"])
def test_a_partial_run_is_not_published(
    tmp_path: Path, docs: Path, drop: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert runner.main(["--from-json", str(_earlier_run(tmp_path, drop))]) == 0
    assert not docs.exists()
    assert "scenario / figure" in capsys.readouterr().out  # the table is still printed


def test_a_partial_run_goes_where_markdown_says(tmp_path: Path, docs: Path) -> None:
    elsewhere = tmp_path / "partial.md"
    earlier = _earlier_run(tmp_path, "fanout")
    assert runner.main(["--from-json", str(earlier), "--markdown", str(elsewhere)]) == 0
    assert not docs.exists()
    assert "## Machine" in elsewhere.read_text()
