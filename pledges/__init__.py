"""The Big Tech pledges data package: its build, checks, validation, publishing and drafting.

docs/architecture.md maps the modules.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the checkout this code is in: the default package root
