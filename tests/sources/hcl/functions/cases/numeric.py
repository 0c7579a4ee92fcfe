"""Edge cases of the numeric functions, from Terraform's documentation of each.

Beyond the documented examples: big and fractional numbers (cty keeps 512 bits; `log` and
`pow` work in float64, Go's own algorithms, shown to the last digit), negative zero,
infinities and NaN (which Terraform refuses or cannot write as JSON), and the precision a
result carries into arithmetic.
"""

from __future__ import annotations

CASES: dict[str, list[str]] = {
    "abs": [
        "abs(23)", "abs(0)", "abs(-12.4)", "abs(-0)", "abs(1/3)", "abs(-1/3)",
        "abs(-12345678901234567890.5)", "abs(-1.0e250)", "abs(-pow(3, 40))",
        "abs(-pow(2, 0.5))", 'abs("-7.5")', "abs(null)", "abs([1])", "abs(-0.1) * 3",
        "abs(-1.0e-300)",
    ],
    "ceil": [
        "ceil(5)", "ceil(5.1)", "ceil(-5.1)", "ceil(0.5)", "ceil(-0.5)", "ceil(-0)",
        "ceil(1/3)", "ceil(-1/3)", "ceil(pow(2, 0.5))", "ceil(pow(2, 0.5)) / 3",
        "ceil(12345678901234567890.1)", "ceil(1.0e20 + 0.5)", 'ceil("4.2")', "ceil(null)",
        "ceil(true)", "ceil(-1.0e-300)", "ceil(1.0e250 + 0.5)",
    ],
    "floor": [
        "floor(5)", "floor(4.9)", "floor(-4.9)", "floor(0.5)", "floor(-0.5)", "floor(-0)",
        "floor(-1/3)", "floor(pow(2, 0.5))", "floor(12345678901234567890.9)",
        'floor("-4.2")', "floor(null)", "floor(1.0e-300)", "floor(-1.0e-300)",
        "floor(pow(3, 40) + 0.5)",
    ],
    "log": [
        "log(50, 10)", "log(16, 2)", "log(1, 10)", "log(0, 10)", "log(-1, 10)",
        "log(10, 1)", "log(1, 1)", "log(8, 0)", "log(0.5, 0)", "log(100, 10)",
        "log(1000, 10)", "log(2, 2.5)", "log(1.0e300, 10)", "log(pow(2, 0.5), 2)",
        "log(0.7071067811865476, 2)", "log(1.4142135623730951, 2)", "log(1.0e-310, 10)",
        'log("8", "2")', "log(12345678901234567890, 7)", "log(1/3, 1/7)", "log(2, 1.0e307)",
        "log(0.1, 0.2) * 3",
    ],
    "max": [
        "max(12, 54, 3)", "max([12, 54, 3]...)", "max()", 'max(1, "2")', "max(0.1, 1/3)",
        "max(-0, 0)", "max(0, -0)", "max(12345678901234567890, 12345678901234567891)",
        "max(pow(2, 0.5), 1.4142135623730951)", 'max("a")', "max(true)", "max(1, null)",
        "max(-1.0e250, -1.0e251)", "max(5)",
    ],
    "min": [
        "min(12, 54, 3)", "min([12, 54, 3]...)", "min()", 'min(1, "0.5")', "min(0.1, 1/3)",
        "min(-0, 0)", "min(0, -0)", "min(12345678901234567890, 12345678901234567891)",
        "min(pow(2, 0.5), 1.4142135623730951)", "min(1, null)", "min(-1/3, -0.3333)",
        "min([]...)", "min(7)",
    ],
    "parseint": [
        'parseint("100", 10)', 'parseint("FF", 16)', 'parseint("-10", 16)',
        'parseint("1011111011101111", 2)', 'parseint("aA", 62)', 'parseint("12", 2)',
        'parseint("+7", 10)', 'parseint("", 10)', 'parseint("-", 10)', 'parseint(" 1", 10)',
        'parseint("1_000", 10)', 'parseint("0x1F", 16)', 'parseint("0b101", 2)',
        'parseint("zz", 36)', 'parseint("ZZ", 36)', 'parseint("ZZ", 62)', 'parseint("Zz", 37)',
        'parseint("10", 1)', 'parseint("10", 63)', 'parseint("10", 2.5)', 'parseint("10", "16")',
        'parseint(10, 10)', 'parseint("123456789012345678901234567890", 10)',
        'parseint("-0", 10)', 'parseint("000", 10)', 'parseint("7fffffffffffffffffffffff", 16)',
        'parseint("ü", 10)', 'parseint(true, 10)', 'parseint(["1"], 10)',
        'parseint("FF", 16) / parseint("3", 10)', 'parseint("1.5", 10)', 'parseint("1e3", 10)',
        'parseint("--1", 10)', 'parseint("777", 8)', 'parseint("9", 8)',
        'parseint("-9223372036854775809", 10)', 'parseint("10", -2)',
    ],
    "pow": [
        "pow(3, 2)", "pow(4, 0)", "pow(2, 0.5)", "pow(-8, 1/3)", "pow(2, -2)", "pow(10, 307)",
        "pow(10, 309)", "pow(2, 1022)", "pow(2, -1074)", "pow(2, -1075)", "pow(-2, 3)",
        "pow(-2, 0.5)", "pow(0, 0)", "pow(0, -1)", "pow(1.5, 2.5)", "pow(1.0001, 10000)",
        "pow(7, 1/3)", "pow(1.1, 100.5)", "pow(2, 62)", "pow(3, 40)", "pow(3, 40) + 0",
        "pow(-0, 3)", "pow(10, -5)", "pow(1.0e-200, 2)", "pow(-1.0e-200, 3)",
        "pow(2, 0.5) * pow(2, 0.5)", "pow(2, 0.5) / 3", "pow(-1, 1.0e300)", "pow(0.5, -0.5)",
        "pow(1.1, 10)", "pow(31.15, 33)", "pow(12345678901234567890, 2)", 'pow("2", "10")',
        "pow(2, null)", "pow(-8, 3)", "pow(2.5, -3.5)",
    ],
    "signum": [
        "signum(-13)", "signum(0)", "signum(344)", "signum(-0.5)", "signum(1.0e30)",
        "signum(9223372036854775807)", "signum(9223372036854775808)",
        "signum(-9223372036854775808)", "signum(-9223372036854775809)", "signum(-0)",
        'signum("5")', "signum(pow(2, 62))", "signum(1/3)", "signum(10/2)", "signum(-7) / 3",
    ],
}
