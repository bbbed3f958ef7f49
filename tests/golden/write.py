"""Writes this release's golden log and its figures (run once, from the
project root: ``python -m tests.golden.write RELEASE``)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from infrastructure.digest import chained_recorder
from infrastructure.log_file import export_log
from tests.api.support import running_api
from tests.conftest import Clock
from tests.golden.replay import figures_file, log_file, replayed
from tests.golden.rules import write_rules
from tests.golden.scenario import START, write_history
from tests.golden.sign_ins import write_sign_ins


def main(release: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        clock = Clock(START)
        with running_api(f"sqlite:///{Path(folder) / 'source.db'}", clock) as api:
            write_history(api.client, clock)
            write_sign_ins(api, clock)
            write_rules(api, clock)
            app = api.system.app
            export_log(chained_recorder(app), log_file(release))
            today = app.today()
        figures_file(release).write_text(
            json.dumps({"today": today.isoformat()}), encoding="utf-8"
        )
        replay, figures = replayed(release, Path(folder))
        replay.close()
    figures["today"] = today.isoformat()
    figures_file(release).write_text(
        json.dumps(figures, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main(sys.argv[1])
