"""kh — plan-compliance tracker for Vietnamese drug-prevention plans.

The package is layered so that the command line stays fast and the core stays testable:
pure modules (text, periods, planfile, deadlines, units) import no database code; only
``kh.store`` speaks SQL; ``kh.cli`` parses, calls and renders.
"""

__version__ = "0.1.0"
