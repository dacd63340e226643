"""The publication gate: nothing is published while a SHACL violation stands.

``export`` and ``publish`` both put the dataset in front of other people, so both first run the
validation that ``mpsc-graph validate`` runs (the default fast engine, same function, same
shapes) and refuse before writing or sending anything when it finds an ``sh:Violation``.
Warnings never block: they mark gaps a steward knows about (docs/data-gaps.md).
"""

from __future__ import annotations

from pyoxigraph import Store

from ..errors import MpscError
from ..fastvalidate import validate_fast
from ..project import Project
from ..validation import Report

#: How many violations the refusal lists before pointing to ``mpsc-graph validate`` for the rest.
LISTED = 20


class ViolationsFound(MpscError):
    """The dataset has SHACL violations, so it is not exported or published (exit code 1)."""

    exit_code = 1

    def __init__(self, action: str, report: Report, project: Project) -> None:
        violations = [f for f in report.findings if f.severity == "Violation"]
        lines = [f"refusing to {action}: the dataset has {len(violations)} SHACL violation(s); nothing was written "
                 "or sent, an earlier export or publication is unchanged"]
        for finding in violations[:LISTED]:
            where = f" [{', '.join(finding.files)}]" if finding.files else ""
            path = f" {finding.path}" if finding.path else ""
            lines.append(f"  {finding.focus_label} <{finding.focus}>{where}{path}: {finding.message}")
        if len(violations) > LISTED:
            lines.append(f"  … and {len(violations) - LISTED} more")
        lines.append(f"see them all with: mpsc-graph validate --root {project.root}")
        super().__init__("\n".join(lines))
        self.report = report


def require_conforming(store: Store, project: Project, action: str) -> Report:
    """Validate ``store`` as ``mpsc-graph validate`` does; raise :class:`ViolationsFound` on a violation.

    ``action`` ("export", "publish") only words the message. Returns the report (warnings included).
    """
    report, _results = validate_fast(store, project)
    if report.violations:
        raise ViolationsFound(action, report, project)
    return report
