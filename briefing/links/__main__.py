"""``python -m briefing.links``: the external link check (``make linkcheck``)."""

import sys

from briefing.links.external import main

sys.exit(main())
