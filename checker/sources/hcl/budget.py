"""The HCL evaluator's budgets: how much one root's evaluation may build and spend.

Terraform source is input: no source may make tablespec hang or exhaust memory. Each
value is checked where it is built; beyond a budget it is an `Unknown` whose reason names
the expression, its `file:line` and the budget, so rules report `unknown`, never a pass.

=====================  ===========  ==================================================
budget                 value        why this much
=====================  ===========  ==================================================
MAX_STRING             1,048,576    characters in one string: AWS's largest string
                                    arguments (a Step Functions definition) are 1 MB
MAX_ELEMENTS           100,000      elements of one list, set, map or object
MAX_INSTANCES          10,000       instances one count/for_each (resource, module call,
                                    dynamic block) makes: 4x AWS's default quota of
                                    2,500 tables a region
MAX_READ               20,000       table, replica and alarm instances read from one
                                    root (10,000 tables and their alarms: ~3 s)
MAX_FORMAT_WIDTH       1,000        width or precision of a format() verb (`%05d`)
MAX_NUMBER             ~1.8e308     magnitude of a number (a float's range)
MAX_STEPS              2,000,000    evaluation steps of one root (an expression, an
                                    element walked or copied): a few seconds
MAX_VOLUME             256,000,000  what one root's evaluation builds, in bytes as
                                    counted here (a character 1, an element 64, a
                                    module instance 1 KiB per value it holds)
MAX_FILE_BYTES         4 MiB        one .tf or .tfvars file (larger: exit 2)
MAX_SOURCE_BYTES       32 MiB       the Terraform files one run reads (more: exit 2)
=====================  ===========  ==================================================

`range()` needs no budget of ours: Terraform refuses more than 1,024 values. The example
root (examples/terraform/environments/prod) evaluates in under 1,000 steps; a `for` costs
a step for each element and one for each expression its body evaluates.

The counters are per root: `start()` is called before each root is evaluated. They are
module state, as the evaluator's depth counter is: the evaluator runs on one thread.
"""

from __future__ import annotations

from checker.errors import RunError

MAX_STRING = 1_048_576
MAX_ELEMENTS = 100_000
MAX_INSTANCES = 10_000
MAX_READ = 20_000
MAX_FORMAT_WIDTH = 1_000
MAX_NUMBER = 1.7976931348623157e308
MAX_STEPS = 2_000_000
MAX_VOLUME = 256_000_000
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_SOURCE_BYTES = 32 * 1024 * 1024
ELEMENT_BYTES = 64  # what one element of a collection counts for in MAX_VOLUME
THUNK_BYTES = 1_024  # what a module instance counts for in MAX_VOLUME, per value it holds


class BudgetExceeded(Exception):
    """A budget is spent. Not an EvalError: `try()` and `can()` must not take it for a
    failure of Terraform's (that would pick another argument's value)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.site: str | None = None  # `expr (file:line)` of the innermost expression

    def at(self, site: str) -> BudgetExceeded:
        """This exception, placed at *site* unless an inner expression already is."""
        if self.site is None:
            self.site = site
        return self

    @property
    def reason(self) -> str:
        """The Unknown's reason: the expression, where it is written, the budget."""
        return f"{self.site} {self.message}" if self.site else self.message


class _State:
    """What the current root has spent."""

    __slots__ = ("source", "steps", "volume")

    def __init__(self) -> None:
        self.steps = 0
        self.volume = 0
        self.source = 0  # bytes of Terraform files read by this run


_STATE = _State()


def start() -> None:
    """Fresh step and volume counters, for the next root."""
    _STATE.steps = 0
    _STATE.volume = 0


def start_reading() -> None:
    """A fresh count of the bytes read, for the next run."""
    _STATE.source = 0


def _spent(kind: str, limit: int) -> BudgetExceeded:
    return BudgetExceeded(f"is not evaluated: this root's evaluation went past tablespec's "
                          f"budget of {limit:,} {kind}")


def step(n: int = 1) -> None:
    """Spend *n* evaluation steps."""
    _STATE.steps += n
    if _STATE.steps > MAX_STEPS:
        raise _spent("steps", MAX_STEPS)


def volume(n: int) -> None:
    """Count *n* bytes built (MAX_VOLUME)."""
    _STATE.volume += n
    if _STATE.volume > MAX_VOLUME:
        raise _spent("bytes of values", MAX_VOLUME)


def text(length: int) -> None:
    """A string of *length* characters is about to be built."""
    if length > MAX_STRING:
        raise BudgetExceeded(f"builds a string of {length:,} characters, over tablespec's "
                             f"budget of {MAX_STRING:,} for one string")
    volume(length)


def elements(count: int) -> None:
    """A collection of *count* elements is about to be built."""
    if count > MAX_ELEMENTS:
        raise BudgetExceeded(f"builds a collection of {count:,} elements, over tablespec's "
                             f"budget of {MAX_ELEMENTS:,} for one collection")
    volume(count * ELEMENT_BYTES)


def built(value: object) -> object:
    """*value*, a function's result, counted (a string's length, a collection's size)."""
    if isinstance(value, str):
        text(len(value))
    elif isinstance(value, list | dict):
        elements(len(value))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number(value)
    return value


def instances(count: int) -> str | None:
    """Why *count* instances of one block are too many (None when they are not)."""
    if count > MAX_INSTANCES:
        return (f"makes {count:,} instances, over tablespec's budget of {MAX_INSTANCES:,} "
                "for one count or for_each")
    return None


def width(value: int) -> None:
    """A format() verb asks for this width or precision."""
    if value > MAX_FORMAT_WIDTH:
        raise BudgetExceeded(f"asks for a format width of {value:,}, over tablespec's budget "
                             f"of {MAX_FORMAT_WIDTH:,}")


def number(value: object) -> None:
    """A number has been computed: beyond a float's range it is over the budget."""
    if isinstance(value, int):
        if abs(value) <= MAX_NUMBER:
            return
    elif isinstance(value, float):
        if abs(value) <= MAX_NUMBER or value != value:  # NaN: from infinities, already over
            return
    elif abs(getattr(value, "q", 0)) <= MAX_NUMBER:  # a numbers.Num
        return
    raise BudgetExceeded("makes a number beyond ±1.8e308, tablespec's budget for a number")


def _bytes(n: int) -> str:
    """`4 MiB`, or `1,000 bytes`."""
    return f"{n >> 20} MiB" if n >= 1 << 20 and not n % (1 << 20) else f"{n:,} bytes"


def source(path: str, size: int) -> None:
    """A Terraform file of *size* bytes is about to be read; RunError beyond a budget."""
    if size > MAX_FILE_BYTES:
        raise RunError(f"{path}: larger than {_bytes(MAX_FILE_BYTES)}, the most tablespec "
                       "reads of one Terraform file")
    _STATE.source += size
    if _STATE.source > MAX_SOURCE_BYTES:
        raise RunError(f"{path}: the Terraform files read come to more than "
                       f"{_bytes(MAX_SOURCE_BYTES)}, the most tablespec reads in one run")


def spent() -> tuple[int, int]:
    """(steps, volume) spent by the current root: for tests and benchmarks."""
    return _STATE.steps, _STATE.volume
