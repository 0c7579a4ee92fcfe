"""Edge cases of the filesystem and template functions, and the files they read.

`FILES` is written beside both Terraform and tablespec (tablespec's a git work tree: its
place), so every path here is inside it; paths that leave the place, symbolic links and
bytes that are not UTF-8 cannot be written here and are
`tests/sources/hcl/functions/test_files.py`'s.
`defs.tf` gives templatestring the references it requires.
"""

from __future__ import annotations

FILES: dict[str, str] = {
    "data/hello.txt": "Hello, World!\n",
    "data/empty.txt": "",
    "data/unicode.txt": "über 日本語 😀\n",
    "data/nfd.txt": "e\u0301\n",
    "data/crlf.txt": "a\r\nb\r\n",
    "data/no-newline.txt": "last line",
    "data/config.json": '{"name": "orders", "read": 5, "tags": ["a", "b"], "ttl": null}\n',
    "data/config.yaml": "name: orders\nbilling: PAY_PER_REQUEST\nreplicas:\n  - eu-west-1\n"
                        "  - us-east-1\nenabled: yes\n",
    "data/tables.csv": "name,hash_key,billing\norders,id,PAY_PER_REQUEST\n"
                       "users,user_id,PROVISIONED\n",
    "data/with space.txt": "spaced\n",
    "templates/greeting.tftpl": "Hello, ${name}!",
    "templates/trailing.tftpl": "Hello, ${name}!\n",
    "templates/wrap.tftpl": "${value}",
    "templates/wrap-newline.tftpl": "${value}\n",
    "templates/list.tftpl": "%{ for x in items }- ${x}\n%{ endfor }",
    "templates/pairs.tftpl": "%{ for k, v in tags }${k}=${v};%{ endfor }",
    "templates/cond.tftpl": "%{ if enabled }on%{ else }off%{ endif }",
    "templates/strip.tftpl": "a  ${~ name ~}  b",
    "templates/escapes.tftpl": "$${literal} %%{ not } \\n ${name}",
    "templates/funcs.tftpl": "${upper(name)} ${length(items)} ${jsonencode(items)}",
    "templates/json.tftpl": '${jsonencode({name = name, items = items})}',
    "templates/file.tftpl": '${file("data/hello.txt")}',
    "templates/recursive.tftpl": '${templatefile("templates/greeting.tftpl", {name = "x"})}',
    "templates/refs.tftpl": "${var.name}",
    "templates/for-expr.tftpl": '${join(",", [for x in items : upper(x)])}',
    "templates/splat.tftpl": '${join(",", objs[*].name)}',
    "templates/bad.tftpl": "${",
    "templates/empty.tftpl": "",
    "templates/number.tftpl": "${n + 1}",
    "templates/heredoc-end.tftpl": "TEMPLATE\n${name}\nTEMPLATE_\n",
    "templates/unicode.tftpl": "über ${name} e\u0301",
    "templates/backends.tftpl": "%{ for addr in ip_addrs ~}\nbackend ${addr}:${port}\n"
                                "%{ endfor ~}\n",
    "templates/config.yaml.tftpl": '${yamlencode({"backends": [for addr in ip_addrs : '
                                   '"${addr}:${port}"]})}\n',
    "templates/strip-if.tftpl": "a\n%{ if enabled ~}\n  yes\n%{ else ~}\n  no\n%{ endif ~}\nb",
    "templates/crlf.tftpl": "a\r\n${name}\r\n",
    "templates/comment.tftpl": "# not a comment ${name}\n// also ${name}\n",
    "templates/quotes.tftpl": "\"${name}\" 'x' \\ \\n \\${name}",
    "templates/nested-for.tftpl": "%{ for k, vs in m }%{ for v in vs }${k}${v} %{ endfor }"
                                  "%{ endfor }",
    "templates/indent.tftpl": "  a:\n    ${name}\n\tb\n",
    "tree/a.txt": "a\n",
    "tree/b.md": "b\n",
    "tree/.hidden": "h\n",
    "tree/sub/c.txt": "c\n",
    "tree/sub/deep/d.txt": "d\n",
    "tree/sub/deep/e.json": "{}\n",
    "tree/x[1].txt": "bracket\n",
    "tree/{a,b}.txt": "brace\n",
    "defs.tf": (
        "locals {\n"
        '  greeting  = "Hello, $${name}!"\n'
        '  listing   = "%%{ for x in items }[$${x}]%%{ endfor }"\n'
        '  wrapped   = "$${value}"\n'
        '  number    = 5\n'
        '  nothing   = null\n'
        '  templates = { a = "A=$${x}", file = "$${file(\\"data/hello.txt\\")}", '
        'nested = "$${templatestring(t, {})}", bad = "$${" }\n'
        "}\n"
    ),
}

# The arguments of each call, by function.
_ARGS: dict[str, list[str]] = {
    "file": [
        '"data/hello.txt"', '"./data/hello.txt"', '"data//hello.txt"', '"data/../data/hello.txt"',
        '"data/empty.txt"', '"data/unicode.txt"', '"data/nfd.txt"', '"data/crlf.txt"',
        '"data/no-newline.txt"', '"data/with space.txt"', '"data/missing.txt"', '"data"',
        '""', '"."', '"data/"', '"${path.module}/data/hello.txt"', '"DATA/hello.txt"',
        '"~user/x"', '"data/hello.txt/"', '"tree/x[1].txt"',
    ],
    "filebase64": [
        '"data/hello.txt"', '"data/empty.txt"', '"data/unicode.txt"', '"data/crlf.txt"',
        '"data/missing.txt"', '"data"', '"templates/greeting.tftpl"',
    ],
    "fileexists": [
        '"data/hello.txt"', '"data/missing.txt"', '"data"', '"data/"', '""', '"."',
        '"missing/dir/x"', '"data/hello.txt/x"', '"${path.module}/tree/a.txt"', '"~user/x"',
    ],
    "fileset": [
        '"tree", "*"', '"tree", "*.txt"', '"tree", "**"', '"tree", "**/*.txt"',
        '"tree", "**/*"', '"tree", "sub/*"', '"tree", "sub/**"', '"tree", "*/*.txt"',
        '"tree", "{a,b}.*"', '"tree", "[ab].*"', '"tree", "[^a].*"', '"tree", "?.txt"',
        '"tree", "x\\\\[1].txt"', '"tree", "\\\\{a,b}.txt"', '"tree", "missing/*"',
        '"tree", "["', '"tree", "[]"', '"tree", "{a"', '"tree", "a.txt"', '"tree", "sub"',
        '"tree/sub", "**"', '".", "tree/*.md"', '"${path.module}", "data/*.json"',
        '"tree", "**/deep/*"', '"tree", ".*"', '"missing", "*"', '"tree", ""',
        '"tree", "sub/../*.md"', '"tree", "*.{md,json}"', '"tree", "**/*.{md,json}"',
        '"tree", "[a-b].*"', '"tree", "[-a].*"', '"tree", "*\\\\"', '"data", "*.txt"',
    ],
    "filemd5": ['"data/hello.txt"', '"data/empty.txt"', '"data/unicode.txt"',
                '"data/missing.txt"', '"data"', '"data/crlf.txt"'],
    "filesha1": ['"data/hello.txt"', '"data/empty.txt"', '"data/unicode.txt"',
                 '"data/missing.txt"', '"data"', '"data/nfd.txt"'],
    "filesha256": ['"data/hello.txt"', '"data/empty.txt"', '"data/unicode.txt"',
                   '"data/missing.txt"', '"data"', '"data/nfd.txt"'],
    "filesha512": ['"data/hello.txt"', '"data/empty.txt"', '"data/unicode.txt"',
                   '"data/missing.txt"', '"data"', '"data/crlf.txt"'],
    "filebase64sha256": ['"data/hello.txt"', '"data/empty.txt"', '"data/unicode.txt"',
                         '"data/missing.txt"', '"data"', '"data/nfd.txt"'],
    "filebase64sha512": ['"data/hello.txt"', '"data/empty.txt"', '"data/unicode.txt"',
                         '"data/missing.txt"', '"data"', '"data/crlf.txt"'],
    "basename": [
        '"foo/bar/baz.txt"', '"/foo/bar/baz.txt"', '"baz.txt"', '""', '"/"', '"//"',
        '"foo/"', '"foo//"', '"."', '".."', '"a/b/."', '"C:\\\\a\\\\b"', '"über/日本.txt"',
    ],
    "dirname": [
        '"foo/bar/baz.txt"', '"/foo/bar/baz.txt"', '"baz.txt"', '""', '"/"', '"//"',
        '"//a"', '"foo/"', '"foo//bar"', '"./a/../b/c"', '"../a"', '"/../a"', '"a/./b"',
        '"C:\\\\a\\\\b"',
    ],
    "pathexpand": [
        '"~/.ssh/id_rsa"', '"~"', '"~/"', '"~/a/../b"', '"~user/x"', '"/etc/x"', '"a/~"',
        '""', '"~\\\\x"', '"~/./x//y"',
    ],
    "abspath": ['"/a/b/../c"', '"/"', '"//a"', '"/a/./b/"'],
    "templatefile": [
        '"templates/greeting.tftpl", {name = "World"}', '"templates/greeting.tftpl", {}',
        '"templates/greeting.tftpl", {name = "World", extra = 1}',
        '"templates/greeting.tftpl", {name = 5}', '"templates/greeting.tftpl", {name = null}',
        '"templates/greeting.tftpl", {name = [1]}', '"templates/greeting.tftpl", null',
        '"templates/greeting.tftpl", "x"', '"templates/greeting.tftpl", ["x"]',
        '"templates/greeting.tftpl", tomap({name = "m"})',
        '"templates/greeting.tftpl", {name = "x", "not valid" = 1}',
        '"templates/greeting.tftpl", {name = "x", "a-b" = 1, "_c" = 2}',
        '"templates/greeting.tftpl", {name = "x", "1a" = 1}',
        '"templates/trailing.tftpl", {name = "World"}', '"templates/wrap.tftpl", {value = [1, 2]}',
        '"templates/wrap.tftpl", {value = {a = 1}}', '"templates/wrap.tftpl", {value = 5}',
        '"templates/wrap.tftpl", {value = null}', '"templates/wrap-newline.tftpl", {value = 5}',
        '"templates/wrap-newline.tftpl", {value = [1]}',
        '"templates/list.tftpl", {items = ["a", "b"]}', '"templates/list.tftpl", {items = []}',
        '"templates/pairs.tftpl", {tags = {b = 2, a = 1}}',
        '"templates/cond.tftpl", {enabled = true}', '"templates/cond.tftpl", {enabled = false}',
        '"templates/cond.tftpl", {enabled = "true"}', '"templates/cond.tftpl", {enabled = 1}',
        '"templates/strip.tftpl", {name = "x"}', '"templates/escapes.tftpl", {name = "x"}',
        '"templates/funcs.tftpl", {name = "x", items = ["a"]}',
        '"templates/json.tftpl", {name = "x", items = [1, 2]}', '"templates/file.tftpl", {}',
        '"templates/recursive.tftpl", {}', '"templates/refs.tftpl", {name = "x"}',
        '"templates/refs.tftpl", {var = {name = "v"}}',
        '"templates/for-expr.tftpl", {items = ["a", "b"]}',
        '"templates/splat.tftpl", {objs = [{name = "a"}, {name = "b"}]}',
        '"templates/bad.tftpl", {}', '"templates/empty.tftpl", {}',
        '"templates/number.tftpl", {n = 1}', '"templates/number.tftpl", {n = "x"}',
        '"templates/heredoc-end.tftpl", {name = "x"}', '"templates/unicode.tftpl", {name = "x"}',
        '"templates/missing.tftpl", {}', '"templates", {}', '"data/config.json", {}',
        '"templates/backends.tftpl", {port = 8080, ip_addrs = ["10.0.0.1", "10.0.0.2"]}',
        '"templates/config.yaml.tftpl", {port = 8080, ip_addrs = ["10.0.0.1", "10.0.0.2"]}',
        '"templates/strip-if.tftpl", {enabled = true}',
        '"templates/strip-if.tftpl", {enabled = false}',
        '"templates/crlf.tftpl", {name = "x"}', '"templates/comment.tftpl", {name = "x"}',
        '"templates/quotes.tftpl", {name = "x"}',
        '"templates/nested-for.tftpl", {m = {a = [1, 2], b = [3]}}',
        '"templates/indent.tftpl", {name = "x"}',
        '"./templates/../templates/greeting.tftpl", {name = "x"}',
        '"${path.module}/templates/greeting.tftpl", {name = "x"}',
    ],
    "templatestring": [
        'local.greeting, {name = "World"}', 'local.greeting, {}', 'local.greeting, null',
        'local.listing, {items = [1, 2]}', 'local.wrapped, {value = 5}',
        'local.wrapped, {value = true}', 'local.wrapped, {value = [1]}',
        'local.wrapped, {value = null}', 'local.number, {}', 'local.nothing, {}',
        'local.templates.a, {x = 1}', 'local.templates["a"], {x = "y"}',
        'local.templates.file, {}', 'local.templates.nested, {t = "x"}',
        'local.templates.bad, {}', '"Hello, $${name}", {name = "x"}', '"plain", {}',
        '"${local.greeting}", {name = "x"}', 'upper(local.greeting), {name = "x"}',
        '[local.greeting][0], {name = "x"}', 'local.greeting, {name = "x", "a b" = 1}',
        'local.greeting, tomap({name = "m"})', 'local.greeting, ["x"]',
        'local.templates[*].a, {x = 1}',
    ],
}

# Whole expressions: the decoders over files, as configurations use them.
_MORE: dict[str, list[str]] = {
    "file": ['jsondecode(file("data/config.json"))', 'yamldecode(file("data/config.yaml"))',
             'csvdecode(file("data/tables.csv"))', 'length(file("data/unicode.txt"))',
             'file("${path.module}/templates/greeting.tftpl")'],
    "fileset": ['[for f in fileset(path.module, "tree/**") : filemd5(f)]',
                'length(fileset("tree", "**"))'],
    "templatefile": [
        "templatefile(\"templates/recursive.tftpl\", {})",
        "templatefile(\"templates/greeting.tftpl\", {name = \"x\", \"_\" = 1})",
        "templatefile(\"templates/wrap.tftpl\", {value = toset([\"a\"])})",
        "templatefile(\"templates/wrap.tftpl\", {value = \"e\\u0301\"})",
        "templatefile(\"templates/unicode.tftpl\", {name = \"e\\u0301\"})",
        "templatefile(\"templates/greeting.tftpl\", {name = \"x\"}) == \"Hello, x!\"",
        "can(templatefile(\"templates/missing.tftpl\", {}))",
        "try(templatefile(\"templates/missing.tftpl\", {}), \"fallback\")",
        "templatefile(\"templates/cond.tftpl\", {enabled = null})",
        "templatefile(\"templates/list.tftpl\", {items = \"x\"})",
        "templatefile(\"templates/list.tftpl\", {items = {a = 1}})",
        "templatefile(\"templates/list.tftpl\", {items = [[1]]})",
        "templatefile(\"templates/pairs.tftpl\", {tags = [\"a\"]})",
    ],
    "templatestring": [
        "templatestring(local.templates.nested, {t = \"x\"})",
        "templatestring(local.templates.file, {})",
        "templatestring(local.greeting, {name = \"x\", var = 1})",
        "templatestring(local.greeting, {name = \"x\", \"a.b\" = 1})",
        "templatestring(local.greeting, {name = \"x\", \"\" = 1})",
        "templatestring(local.greeting, {name = \"x\", \"-a\" = 1})",
        "templatestring(local.greeting, {name = \"x\", \"a-\" = 1})",
        "templatestring(local.greeting, {name = \"x\", \"é\" = 1})",
        "templatestring(local.greeting, {name = \"x\", \"a b\" = 1})",
        "templatestring(local.greeting, {name = \"x\", \"1\" = 1})",
        "templatestring(local.greeting, {name = \"x\", \"ʰ\" = 1})",
        "templatestring(local.greeting, {name = \"x\", \"٣\" = 1})",
        "templatestring(local.wrapped, {value = 1.5})",
        "templatestring(local.wrapped, {value = \"x\"})",
        "templatestring(local.templates.a, {x = null})",
    ],
}

CASES: dict[str, list[str]] = {
    name: [f"{name}({args})" for args in calls] + _MORE.get(name, [])
    for name, calls in _ARGS.items()
}
