"""What surrounds the functions: operators, numbers, templates, conversion, equality.

Each topic is a list of HCL expressions put to `terraform console` and to tablespec.
Heredocs cannot be put to the console (it reads one line): `tests/sources/hcl/test_evaluate.py`
has them, with the answers Terraform gives.
"""

from __future__ import annotations

ARITHMETIC = [
    "10/3", "0.1 + 0.2", "-7 % 3", "7 % -3", "-7.5 % 2", "1 + 2 * 3 - 4 / 2", "2.5 * 4",
    "1/0", "0/0", "-1/0", "5 % 0", "1 - 0.9", "3 * 0.1", "1/3 * 3", "4 / 2", "7 / 2",
    "12345678901234567890 * 98765432109876543210", "2 * 1024 * 1024 * 1024 * 1024 * 1024",
    "-(-5)", "- 5", "-0", "0 * -1", '"5" + 1', '"5" * "2"', '"abc" + 1', "null + 1",
    "true + 1", "1.5 % 1", "10 % 3.5", "2.0 * 3", '"1e2" + 1', '"0x10" + 1', '" 5" + 1',
    '"-5" + 0', '"+5" + 0', '"5." + 0', '".5" + 0', "[1] + 1", "0.1 * 0.1", "1 - 1.0",
    "100000000000000000000 / 3", "2 / 3 * 3 == 2", "9007199254740993 + 0",
    "9007199254740993 * 1.0", "-2 * -3",
]

NUMBER_LITERALS = [
    "1e3", "1E3", "1e+3", "1e-3", "1.5e3", "2e0", "2e-1", "5e2 + 1", "[1e3, 2e3]",
    "{a = 1e3}", "-1e3", "1e3 == 1000", "0.5", "007", "1.0", "1.50", "0.000001", "1e-7",
    "123456789012345678901234567890", "100000000000000000000000",
    "3.14159265358979323846264338327950288", "0.1", "1.0e3", "2.5E-3", "1e21", "1e20",
    "1e3 * 1e3", "[for x in [1e2] : x]", '"${1e3}"', "1e3 > 999", "max(1e3, 5)",
    "0.30000000000000004", "1.7976931348623157e307", "4.9e-324", "123.456e1", "1.e3",
    "01e2", "1.5.e3", "1e3e3",
]

NUMBER_TEXT = [  # a number in a string: Go's Text('f', -1) at the number's precision
    '"=${1e21}"', '"=${0.000001}"', '"=${1e-7}"', '"=${-0}"', '"=${2.50}"',
    '"=${100000000000000000000000}"', '"=${12345.6789}"', '"=${1.0}"', '"=${5e-1}"',
    '"=${9007199254740993}"', '"=${0.1 * 3}"', '"=${1 - 0.9}"', '"=${2 / 3}"',
    '"=${-1.5e3}"', '"=${7 % 2.5}"', '"=${123456789.123456789}"', '"=${1e3 == 1000}"',
    '"=${10 / 4}"', '"=${1 / 8}"', '"=${0.1}"', '"=${3.0 * 1.5}"', '"=${-7 % 3}"',
    '"=${1e-20}"', '"=${0 * -1}"', '"=${"1" + 1}"', '"=${"1.50" * 1}"',
    '"=${tonumber("1e3")}"', '"=${1.5}" == "=1.5"', '"${1}" == 1', '"${"1"}" == 1',
]

PRECEDENCE = [
    "1 + 2 * 3", "(1 + 2) * 3", "10 - 4 - 3", "100 / 10 / 5", "2 * 3 % 4", "7 % 4 * 2",
    "1 + 2 == 3", "1 < 2 == true", "!true == false", "-2 * -3", "true || false && false",
    "(true || false) && false", "!false && false", "1 == 1 && 2 == 2",
    "true ? 1 : false ? 2 : 3", "false ? 1 : false ? 2 : 3", "false ? 1 : true ? 2 : 3",
    "true ? false ? 1 : 2 : 3", "false ? false ? 1 : 2 : 3", '1 + 1 == 2 ? "y" : "n"',
    "5 - -3", "-5 % 3", "2 - 1 - 1", "1 < 2 && 3 > 2 || false", "!!true", "- 1 + 2",
    "3 >= 3 != false", "1 == 1 == true", "2 * 3 + 4 * 5", "20 / 2 * 5", "-2 + -2 * -2",
    "1 + 2 < 4 && 5 > 2 * 2", "true == !false", "!(1 > 2)", "-(2 + 3) * 2",
    "false || true ? 1 : 2", "1 < 2 ? 3 < 4 ? 5 : 6 : 7",
    "false ? 1 : false ? 2 : false ? 3 : 4", "(true ? false : true) ? 1 : 2",
]

COMPARISON = [
    "1 < 2", "2 <= 2", "3 > 4", "4 >= 5", '"1" < "2"', '"a" < "b"', '"10" > "9"',
    "1 < null", "1.5 > 1", "-1 < 0", '1 == "1"', '"1" == 1', 'true == "true"',
    "null == null", "null != null", "[] == []", "{} == {}", "[] == {}", '"a" == "a"',
    "1.0 == 1", "0.1 + 0.2 == 0.3", "1 < true", '"abc" == "ABC"', "1 != 2", "[1] < [2]",
    "0 == -0", "1e3 >= 1000", "12345678901234567890 > 12345678901234567889",
    '"2" >= 2', "0.1 < 0.10000000000000001",
]

LOGIC = [  # Terraform 1.11 evaluates both sides of && and || (no short-circuit)
    "true && false", "true && true", "false || false", "false || true", "!true", "!false",
    "!null", '!"true"', '!"false"', '!"yes"', '"true" && true', 'true && "false"',
    "true && 1", "false && null", "true || null", "null || true", "null && false",
    "false && [][0]", "true || [][0]", "false && (1 / 1 > 0)", "!1", "![]",
    '"1" && true', '"0" || false', "true && tobool(null)", "!tobool(null)",
    "true == true && !false", "false || false || true", "true && true && false",
]

EQUALITY = [  # a tuple is not a list, an object not a map
    "[1, 2] == tolist([1, 2])", "{a = 1} == tomap({a = 1})", '1 == "1"',
    "tolist([1, 2]) == tolist([1, 2])", 'tolist([1]) == tolist(["1"])',
    "toset([1]) == toset([1])", "[1] == [1]", '[1, "a"] == [1, "a"]', "{a = 1} == {a = 1}",
    'tomap({a = 1}) == tomap({a = "1"})', "tomap({a = 1}) == tomap({a = 1})", "[] == []",
    "null == false", "[null] == [null]", "{} == tomap({})", "tolist([]) == []",
    "[[1]] == [[1]]", "[1] != [2]", "{a = [1]} == {a = [1]}", "{a = 1} == {b = 1}",
    "{a = 1, b = 2} == {b = 2, a = 1}", 'toset(["a", "b"]) == toset(["b", "a"])',
    "tolist([1]) == toset([1])", "[1, 2] == [2, 1]", "[1.0] == [1]", "[0.1 + 0.2] == [0.3]",
    '{a = "x"} == {a = "x"}', 'tomap({a = "x"}) == {a = "x"}', "[null] == []",
    "{a = null} == {a = null}", "[tolist([1])] == [tolist([1])]",
    "[for x in [1] : x] == [1]", "[for x in [1] : x] == tolist([1])",
    '{for x in ["a"] : x => x} == {a = "a"}', '{for x in ["a"] : x => x} == tomap({a = "a"})',
    "null == []", "1 == true", "true == true",
]

CONDITIONALS = [  # the result takes the type both branches unify to
    'true ? 1 : "a"', 'false ? 1 : "a"', "true ? 1 : 2", 'true ? [1] : ["a"]',
    "true ? [1] : [1, 2]", "true ? {a = 1} : {b = 2}", 'true ? {a = 1} : {b = "x"}',
    "true ? null : 1", "false ? null : 1", 'true ? tolist([1]) : ["a"]', "true ? 1 : true",
    "false ? 1 : true", "true ? [] : [1]", "true ? {} : {a = 1}", "null ? 1 : 2",
    '"true" ? 1 : 2', '"false" ? 1 : 2', "1 ? 1 : 2", "true ? 1 : [1]",
    'true ? {a = 1} : {a = "x"}', "true ? [1, 2] : [3, 4]", 'false ? "x" : null',
    "true ? tolist([1]) : tolist([2, 3])", 'true ? tolist([1]) : tolist(["a"])',
    'true ? tomap({a = 1}) : {b = "x"}', "true ? [] : []", "false ? [] : {}",
    "true ? 1 : [][0]", "false ? [][0] : 1", 'true ? true : "x"', 'false ? 1.5 : "x"',
    'true ? 1.5 : "x"', "true ? toset([1]) : toset([2])", 'true ? toset([1]) : ["a"]',
    "true ? {a = [1]} : {a = [2, 3]}", 'true ? [{a = 1}] : [{a = "x"}]',
    '"1" ? "yes" : "no"',
]

TEMPLATES = [
    '"a${1}b"', '"${1.5}"', '"${true}"', '"${null}"', '"x${null}"', '"${[1]}"',
    '"x${[1]}"', '"x${{a = 1}}"', '"a ${~ 1 ~} b"', '"${1 + 1}${2 * 3}"', '"$${x}"',
    '"%%{x}"', '"$"', '"%"', '"$${"', '"${0.1 + 0.2}"', '"${10/3}"',
    '"${12345678901234567890}"', '"${"in${1}"}"', '"a  ${~ "x"}  b"', '"a  ${"x" ~}  b"',
    '"${"a"}${"b"}"', '"${-1}"', '"${1/3}"', '"${tolist(["a"])}"', '"${ "a" }"', '"${1}"',
    '" ${~ 1}"', '"${~ 1 ~}"', '"${~ "a" ~}"', '"a${"b"}c${"d"}e"', '"${"$${"}"',
]

TEMPLATE_DIRECTIVES = [
    '"%{if true}a%{endif}"', '"%{if false}a%{else}b%{endif}"',
    '"%{for x in [1, 2, 3]}${x},%{endfor}"', '"%{for i, x in ["a", "b"]}${i}=${x} %{endfor}"',
    '"a %{~ if true ~} b %{~ endif ~} c"', '"%{ for x in [1, 2] ~} ${x} %{~ endfor }"',
    '"%{if "true"}y%{endif}"', '"%{if 1}y%{endif}"', '"%{for x in {a = 1, b = 2}}${x}%{endfor}"',
    '"%{for k, v in {b = 1, a = 2}}${k}${v}%{endfor}"',
    '"%{for x in toset(["b", "a"])}${x}%{endfor}"', '"%{for x in null}${x}%{endfor}"',
    '"a %{ if true }b%{ endif } c"', '"%{if null}y%{endif}"',
    '"%{ for x in [] }${x}%{ endfor }empty"', '"%{if true}%{if false}a%{else}b%{endif}%{endif}"',
    '"%{for x in [[1]]}${x}%{endfor}"', '"%{for x in "ab"}${x}%{endfor}"',
    '"x %{~ for x in [1, 2] ~} ${x} %{~ endfor ~} y"', '"%{ if true ~}  a  %{~ endif }"',
    '"%{if "1"}one%{endif}"', '"%{ for i, x in toset(["b", "a"]) }${i}${x};%{ endfor }"',
    '"%{ for x in [1, 2] }%{ if x > 1 }${x}%{ endif }%{ endfor }"', '"%{if true}${1}%{endif}"',
    '"%{ for k, v in tomap({z = 1, y = 2}) }${k}${v}%{ endfor }"',
]

ESCAPES_UNICODE = [
    '"\\n"', '"\\t"', '"\\\\"', '"\\""', '"\\u00e9"', '"\\U0001F600"', '"é"', '"日本"',
    'length("é")', 'length("👍🏽")', 'upper("é")', '"\\r"', '"a\\u0000b"',
    'substr("日本語", 1, 1)', '"\\x"', '"\\u12"', '"<>&"', '"\\u2028"', '"a\\\\nb"',
    '"\\\\${x}"', '"$${x}${1}"', '"\\$"', '"\\/"', 'length("\\n")', '"\\u00"',
    '"\\U0001f600" == "😀"', 'length("e\\u0301")', '"tab\\there"', '"\\uD83D"',
    'reverse(["ä", "b"])', 'strrev("añb")', '"\\a"', '"\\U00110000"',
]

COLLECTIONS = [  # tuples and objects as written
    "{a = 1, a = 2}", '{a = 1, "a" = 2}', '{("a") = 1, a = 2}', '{"a b" = 1}', '{(1) = "x"}',
    "{(true) = 1}", "{(null) = 1}", "{([1]) = 1}", '{"${"a"}b" = 1}',
    '[1, "a", true, null, [2], {c = 3}]', "[1, 2,]", "{a = 1,}", "{a: 1, b: 2}",
    'keys({"é" = 1, "z" = 2, "A" = 3, "a" = 4})', '{"é" = 1, "z" = 2, "A" = 3, "a" = 4}',
    '{(tostring(1.5)) = 1}', "{(1.5) = 1}", "{(1e2) = 1}", '{"" = 1}',
    "{a = {b = {c = {d = 1}}}}.a.b.c.d", "[[[[1]]]][0][0][0][0]", "{(local) = 1}",
    "{a = [for x in [1, 2] : x * 2]}", "[{}, {a = 1}, []]", "[1, [2, [3, [4]]]]",
    "{a = null}", "{a = null}.a", "[null, null]", "length({a = null})",
]

FOR_EXPRESSIONS = [
    "[for x in [1, 2, 3] : x * 2]", '[for i, x in ["a", "b"] : "${i}${x}"]',
    "{for k, v in {a = 1, b = 2} : k => v * 10}", "[for k, v in {b = 1, a = 2} : k]",
    '[for x in toset(["b", "a"]) : x]', '[for i, x in toset(["b", "a"]) : i]',
    '{for x in ["a", "b", "a"] : x => x...}', '{for x in ["a", "a"] : x => x}',
    "[for x in [1, 2, 3] : x if x > 1]", '[for x in [1, 2] : x if "true"]',
    "[for x in [1, 2] : x if null]", "[for x in [1, 2] : x if 1]",
    "{for x in [1, 2] : x => x}", "{for x in [true] : x => 1}", "{for x in [null] : x => 1}",
    "{for x in [[1]] : x => 1}", "[for x in null : x]", '[for x in "abc" : x]',
    "[for x in 5 : x]", "[for x in [] : x]", "{for x in [] : x => x}",
    "[for x in tolist([1, 2]) : x]", '{for k, v in {a = 1, b = "x"} : k => v}',
    '{for x in [1, 2, 3] : x % 2 == 0 ? "even" : "odd" => x...}',
    '[for k, v in {a = 1, b = 2} : v if k == "a"]',
    "[for x in [1, 2] : [for y in [3, 4] : x * y]]", '[for k, v in toset(["a"]) : "${k}${v}"]',
    "{for k, v in {a = 1} : k => v if v > 5}", "[for x in {a = 1, b = 2} : x]",
    "[for k, v in tomap({z = 1, y = 2}) : k]", '[for x in [1, 2] : x if x == "1"]',
    "[for i, x in [10, 20] : i + x]", "{for i, x in [10, 20] : x => i}",
    "[for x in toset([3, 1, 2]) : x]", '[for x in toset(["b", 1]) : x]',
    "{for x in [1, 2] : x => x...}", '{for x in ["a", "b"] : x => [x]}',
    "[for x in [{a = 1}, {a = 2}] : x.a]", "[for x in [[1, 2], [3]] : length(x)]",
]

SPLATS = [
    "[{a = 1}, {a = 2}][*].a", "[{a = 1}, {a = 2}].*.a", "{a = 1}[*].a", "null[*]",
    "[][*].a", "[1, 2][*]", '"x"[*]', "[{a = {b = 1}}][*].a.b", "[{a = [1, 2]}][*].a[0]",
    "[{a = [1, 2]}].*.a[0]", "[[1, 2], [3]][*][0]", "[{a = 1}, {b = 2}][*].a",
    "tolist([{a = 1}])[*].a", "toset([{a = 1}])[*].a", "{a = 1}.*.a", "length(null[*])",
    "[for x in null[*] : x]", '[{a = 1}][*]["a"]', "[{a = 1}, {a = 2}][*].a[1]",
    "1[*]", "[null][*]", "[null, {a = 1}][*].a", "tomap({a = {b = 1}})[*]",
    "tolist([{a = 1}, {a = 2}])[*].a", "[[{a = 1}]][*][0].a", "{a = [1]}[*].a[0]",
    "[{a = 1}][*].b", "true[*]", "[{a = 1}][*]", "[{a = {b = 2}}].*.a.b",
    "tolist([{a = 1}])[*].a == [1]", "toset([1])[*] == [1]",
]

ACCESS = [
    "[1, 2][0]", "[1, 2][2]", "[1, 2][-1]", '[1, 2]["1"]', "[1, 2][1.5]", "{a = 1}.a",
    "{a = 1}.b", '{a = 1}["a"]', '{a = 1}["b"]', "tomap({a = 1}).b", 'tomap({a = 1})["a"]',
    "{a = 1}[0]", '{"0" = 1}[0]', "null.a", "null[0]", '"abc"[0]', "[1][null]",
    "[[1, 2]][0][1]", "[1, 2].0", "{a = {b = 2}}.a.b", "toset([1])[0]", "[1, 2][true]",
    "tolist([1, 2])[1]", "{a = 1}[true]", '{"true" = 1}[true]', "[1, 2][1.0]",
    '[1, 2]["x"]', "tomap({a = 1}).a", '{a = 1}["a"]["b"]', "[1][0][0]", "{a = 1}.a.b",
    "[1, 2][1 + 0]", '{a = 1}[{a = 1}["a"] == 1 ? "a" : "b"]', '[1][" 0"]', '[1]["00"]',
    '[1, 2]["+1"]', '[1, 2]["1.0"]',
]

TRY_CAN = [
    "try(1, 2)", "try([][0], 2)", 'try({}.a, "d")', "try(null, 1)", "can([][0])",
    "can(1)", "can(null)", "try([][0])", "try([][0], {}.a)", 'try(tonumber("x"), 0)',
    'can(tonumber("x"))', "try(1 / 0, 5)", 'try("a" + 1, "b")', "try(tolist(1), [])",
    'can(regex("^a", "abc"))', 'can(regex("^b", "abc"))', "try([1, 2][5], [1, 2][1])",
    '[try({a = 1}.b, "no"), try({a = 1}.a, "no")]', "try({a = 1}.b.c, 0)",
    "can([1][0] + 1)", "try(null.a, 3)", "can(true && 1)", 'try(1, "a")',
    '{for x in [1, 2] : x => try([10][x], "none")}', "try(try([][0], 1), 2)",
    "can(can([][0]))", "try([][0], null)", "try(null, null)", "try(true ? 1 : [1], 2)",
    'try(false && null, "caught")',
]

CONVERSION = [  # tolist, tomap, toset, distinct over mixed types: one element type
    'tolist([1, "a"])', "tolist([1, true])", "tolist([1, [2]])", 'toset([1, "1"])',
    'toset([1, "a", true])', 'tomap({a = 1, b = "x"})', "tomap({a = 1, b = true})",
    'tomap({a = [1], b = ["x"]})', "tomap({a = [1], b = [1, 2]})", 'distinct([1, "1"])',
    "distinct([1, 1.0])", "distinct([{a = 1}, {a = 1}])", "tolist([null, 1])", "tolist([])",
    "toset([])", "tomap({})", 'tolist(toset(["b", "a"]))', "toset([true, false, true])",
    'tolist([{a = 1}, {a = "x"}])', "tolist([{a = 1}, {b = 2}])", "tostring(1)",
    'tonumber("1e3")', 'tobool("true")', 'concat([1], ["a"])', 'coalesce(1, "a")',
    'merge({a = 1}, {b = "x"})', '[for x in tolist([1, "a"]) : x]',
    'tolist([1, "a"]) == ["1", "a"]', 'tolist([1, "a"]) == tolist(["1", "a"])',
    'tomap({a = 1, b = "x"}) == tomap({a = "1", b = "x"})',
    'toset(["a", 1]) == toset(["1", "a"])', "tolist([[1], [2, 3]])", 'tolist([[1], ["a"]])',
    'tolist([{a = 1}, {a = "x", b = 2}])', "tolist([null])", "toset([null, 1])",
    'tomap({a = null, b = "x"})', "tolist([1, null, 2])", 'distinct(["b", "a", "b"])',
    'tolist(["a", tolist([1])])', "tomap({a = {b = 1}, c = {d = 2}})",
]

TOPICS: dict[str, list[str]] = {
    "arithmetic": ARITHMETIC,
    "number_literals": NUMBER_LITERALS,
    "number_text": NUMBER_TEXT,
    "precedence": PRECEDENCE,
    "comparison": COMPARISON,
    "logic": LOGIC,
    "equality": EQUALITY,
    "conditionals": CONDITIONALS,
    "templates": TEMPLATES,
    "template_directives": TEMPLATE_DIRECTIVES,
    "escapes_unicode": ESCAPES_UNICODE,
    "collections": COLLECTIONS,
    "for_expressions": FOR_EXPRESSIONS,
    "splats": SPLATS,
    "access": ACCESS,
    "try_can": TRY_CAN,
    "conversion": CONVERSION,
}
