"""Build the data package: annotations + seeds -> data/*.csv + datapackage.json.

    python build.py [--root DIR] [--no-cache]

The stages are in pledges/pipeline.py; this file is the entry point `make build` runs.
"""

import sys

from pledges.pipeline import main

if __name__ == "__main__":
    sys.exit(main())
