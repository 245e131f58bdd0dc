"""How pytest-xdist shares the test files between its two workers (``make test``).

Every file is one unit of work, so each file's tests run on one worker and share their compiled
kernels (as ``--dist loadfile`` does). The files whose tests start many processes (a Dask
LocalCluster, local process pools, the web server's job workers, Chromium) are one unit: they
run one after the other, never side by side, so the suite's peak memory stays within its 4 GB
budget. (pytest-xdist's ``xdist_group`` marks would say the same, but they do not take effect
with pytest 9, whose test ids no longer carry xdist's group suffix.)
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

import pytest

#: Files that start many processes: one unit of work, run one after the other.
HEAVY = (
    "test_study_cluster.py",
    "test_study_resume.py",
    "test_study_studies.py",
    "test_web.py",
    "test_browser.py",
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    from xdist.scheduler import LoadScopeScheduling

    class FileScheduling(LoadScopeScheduling):
        """Whole files per worker, the heavy files as one unit (see the module docstring)."""

        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return "heavy" if PurePosixPath(path).name in HEAVY else path

    return FileScheduling(config, log)
