"""The numbers a spec holds, each within a range that means something.

Alarm settings are those CloudWatch's PutMetricAlarm accepts; hours lie within a year;
days (a retention, such as a PITR recovery period) are 1 to 35. The shapes carry the
ranges into the JSON Schema (`minimum`, `maximum`) and into docs/spec.md.
"""

from __future__ import annotations

from typing import Any

from checker.specfile.shape import Scalar

HOURS_IN_A_YEAR = 366 * 24
HIGH_RESOLUTION_PERIODS = (10, 20, 30)
DAY, WEEK, HOUR = 86_400, 604_800, 3_600
# CloudWatch keeps no metric value above 2^360 (about 1.2e108 in its docs): a higher
# threshold can never be crossed.
MAX_THRESHOLD = 1e108
MAX_CAPACITY = 1_000_000  # read or write capacity units; DynamoDB's default quota is 40,000


def period_problem(value: Any) -> str | None:
    """Why *value* is not a period CloudWatch accepts, or None."""
    if value in HIGH_RESOLUTION_PERIODS or value % 60 == 0:
        return None
    return f"{value} is not a CloudWatch period: 10, 20, 30 or a multiple of 60"


def window_problem(period: int, evaluation_periods: int) -> str | None:
    """Why CloudWatch refuses *evaluation_periods* of *period* seconds, or None."""
    most, span = (DAY, "a day, with a period under an hour") if period < HOUR else (
        WEEK, "a week")
    total = period * evaluation_periods
    if total <= most:
        return None
    return (f"period {period} x evaluation_periods {evaluation_periods} is {total}s: "
            f"CloudWatch evaluates at most {most}s ({span})")


def alarm_problem(alarm: dict[str, Any]) -> tuple[str, str] | None:
    """An alarm's period x evaluation_periods beyond what CloudWatch evaluates."""
    wrong = window_problem(alarm["period"], alarm["evaluation_periods"])
    return ("evaluation_periods", wrong) if wrong else None


def bounds_problem(bounds: dict[str, Any]) -> tuple[str, str] | None:
    """A least minimum above the most maximum: no target could meet both."""
    low, high = bounds.get("min"), bounds.get("max")
    if low is not None and high is not None and low > high:
        return "max", f"{high} is below min ({low}): no scalable target could meet both"
    return None


def threshold() -> Scalar:
    """An alarm threshold: a finite number CloudWatch can compare a metric with."""
    return Scalar((int, float), "a number", minimum=0, maximum=MAX_THRESHOLD,
                  why="CloudWatch keeps no larger metric value")


def period() -> Scalar:
    """An alarm period in seconds: 10, 20, 30 (high resolution) or a multiple of 60."""
    return Scalar(int, "a period in seconds", minimum=10, maximum=WEEK,
                  why="10, 20, 30 or a multiple of 60, up to a week", test=period_problem,
                  schema={"anyOf": [{"enum": list(HIGH_RESOLUTION_PERIODS)},
                                    {"multipleOf": 60}]})


def evaluation_periods() -> Scalar:
    """How many periods an alarm evaluates: at most a day of 10-second periods."""
    return Scalar(int, "a whole number", minimum=1, maximum=DAY // 10,
                  why="CloudWatch evaluates at most a day of 10-second periods")


def hours(label: str = "a number of hours") -> Scalar:
    """A number of hours within a year (0 to 8784)."""
    return Scalar((int, float), label, minimum=0, maximum=HOURS_IN_A_YEAR, why="a year")


def days(label: str = "a number of days") -> Scalar:
    """A whole number of days, 1 to 35 (as DynamoDB's PITR recovery period)."""
    return Scalar(int, label, minimum=1, maximum=35)


def capacity() -> Scalar:
    """Provisioned read or write capacity units."""
    return Scalar(int, "a whole number", minimum=1, maximum=MAX_CAPACITY)
