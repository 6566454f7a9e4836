"""Posting time from a Twitter/X "snowflake" id: the only timestamp the shared Amharic tweet sets carry.

Since 4 November 2010 every tweet id is a snowflake: a 64-bit number whose top 41 bits are the
milliseconds since Twitter's epoch (1288834974657 ms after 1970, i.e. 2010-11-04T01:42:54.657Z); the
lower 22 bits are the machine and sequence numbers. So ``(id >> 22) + 1288834974657`` is the posting time
in Unix milliseconds, exact to the millisecond, with no lookup. Older (sequential) ids carry no time
and are refused rather than turned into a date in 2010.
"""

from __future__ import annotations

from datetime import UTC, datetime

from peaceops.errors import ValidationFailed

TWITTER_EPOCH_MS = 1288834974657
# Sequential ids stopped below 3e10 (which would decode to 7 s past the epoch). 2**42 (about 4.4e12,
# 17 minutes past the epoch) sits far above every sequential id and below every real snowflake.
MIN_SNOWFLAKE = 1 << 42
MAX_SNOWFLAKE = (1 << 63) - 1


def posted_at(tweet_id: int | str) -> datetime:
    """The UTC posting time (naive, as items store it) encoded in a snowflake tweet id.

    ValidationFailed for ids that are not numbers or are too small to be snowflakes (tweets from before
    4 November 2010 have sequential ids with no time in them).
    """
    try:
        number = int(str(tweet_id).strip())
    except ValueError:
        raise ValidationFailed(f"tweet id {tweet_id!r} is not a number") from None
    if not MIN_SNOWFLAKE <= number <= MAX_SNOWFLAKE:
        raise ValidationFailed(
            f"tweet id {number} is not a snowflake id (ids from before 2010-11-04 carry no posting time)"
        )
    millis = (number >> 22) + TWITTER_EPOCH_MS
    return datetime.fromtimestamp(millis / 1000, tz=UTC).replace(tzinfo=None)
