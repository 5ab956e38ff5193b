"""kh — plan-compliance tracker for Vietnamese drug-prevention plans.

The package is layered so that the command line stays fast and the core stays testable:
the pure modules (text, periods, model, planfile, deadlines, targets, gap, figures, units, …)
import no database code; only ``kh.store`` speaks SQL; ``kh.cli`` parses, calls and renders.
docs/architecture.md is the map.
"""

__version__ = "0.1.0"
