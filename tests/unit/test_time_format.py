"""utc_iso formats times by hand (for speed) exactly as strftime does, to the second or the
minute, over the whole range the clock can reach."""

import random
from datetime import UTC, datetime

from ecsemu.clock import LATEST, utc_iso


def test_utc_iso_is_strftime():
    rng = random.Random(0)
    moments = [0.0, 1.9, 59.999, 86399.999, 951782400.0, 1700000000.25, LATEST] + \
        [rng.uniform(0, LATEST) for _ in range(20_000)]
    for seconds in moments:
        moment = datetime.fromtimestamp(seconds, UTC)
        assert utc_iso(seconds) == moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert utc_iso(seconds, minutes=True) == moment.strftime("%Y-%m-%dT%H:%MZ")
    assert utc_iso(None) == ""
