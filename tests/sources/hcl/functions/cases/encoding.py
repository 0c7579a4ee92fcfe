"""Edge cases of the encoding and hashing functions, from Terraform's documentation of each
(https://developer.hashicorp.com/terraform/language/functions) and from the code behind
them: Go's base64, encoding/json, encoding/csv, golang.org/x/text and go-cty-yaml."""

from __future__ import annotations

import json

# A 1024-bit RSA key made for these tests alone (openssl genrsa -traditional; then
# openssl pkey for PKCS#8 and ssh-keygen -p for OpenSSH's format), an EC key, and
# "Hello, World!", "" and "über" encrypted with the RSA key (openssl pkeyutl, PKCS#1 v1.5).
_PKCS1 = (
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIICXAIBAAKBgQDF86pvU6QL/k6qYcIzmI671nVvC0Y9MDk6pkoH7KlUhuv9VXE+\n"
    "fPeBkHQ4zNbQTW0tfzwPKCvscqIr+814rJ78GB9kmrnQDAm+lcZDZU7sm24ACQNs\n"
    "Mtst5hX4BLMZu+UgnY21lfcrz0vbskxIAy8BXOSH7mFo4zHjNuyEdWPR1QIDAQAB\n"
    "AoGAfoexIrYA/xWP7QLN4rMaUWDU8aTwQb5oZl/SpFwXJIuVnvoVh87TWkMetwvg\n"
    "J4fGSLWyizGvWdUwahLrFL6qY/FbQj5HFixT7t3KHR818+uWu86K1daKsC/VJaWs\n"
    "meGz9HT2iO0TEvqA33Rge6+OM0mRl7WRS0VGSxcqgeHd28UCQQD/s4bRR51F9CC/\n"
    "JcrdG/VhOpSCO/hbvK6CyIgWfYNjsue/LGpX2oFFTBJmg3W+xWB3mf3MRlbCIpLe\n"
    "TSm9TVdvAkEAxi7eKZopg07NkujuP4TzkEDbHQp9Kd3FQL4ALx6xFCZtP1UqACnt\n"
    "Swy2J5B6BdLNLAch6eCkwu7pG80aDJZo+wJBAPuJybgacPad35DqRpQYqtzI2cr7\n"
    "36evByUUy/sD4bq0BhIkSUC/bKeU3A0IiU3vsKQ3UlofX71+cWhKFCNq7/UCQA76\n"
    "Uc4BGawT05OLyR3B1YqMbELonQcB/Ltk4Kyu/CESumTz8cWrZYSrhES/NYmlId52\n"
    "94gucyVMWw+/030qDOsCQCXkGjzhomoD6gmuPqYiKl+O6aegQdbfO7X8HPK+GCCS\n"
    "2WG+1KvdfkRGIyUKvh+bG4AcWY1DD5zQdV2ZcOKGzX0=\n"
    "-----END RSA PRIVATE KEY-----\n"
)
_PKCS8 = (
    "-----BEGIN PRIVATE KEY-----\n"
    "MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAMXzqm9TpAv+Tqph\n"
    "wjOYjrvWdW8LRj0wOTqmSgfsqVSG6/1VcT5894GQdDjM1tBNbS1/PA8oK+xyoiv7\n"
    "zXisnvwYH2SaudAMCb6VxkNlTuybbgAJA2wy2y3mFfgEsxm75SCdjbWV9yvPS9uy\n"
    "TEgDLwFc5IfuYWjjMeM27IR1Y9HVAgMBAAECgYB+h7EitgD/FY/tAs3isxpRYNTx\n"
    "pPBBvmhmX9KkXBcki5We+hWHztNaQx63C+Anh8ZItbKLMa9Z1TBqEusUvqpj8VtC\n"
    "PkcWLFPu3codHzXz65a7zorV1oqwL9UlpayZ4bP0dPaI7RMS+oDfdGB7r44zSZGX\n"
    "tZFLRUZLFyqB4d3bxQJBAP+zhtFHnUX0IL8lyt0b9WE6lII7+Fu8roLIiBZ9g2Oy\n"
    "578salfagUVMEmaDdb7FYHeZ/cxGVsIikt5NKb1NV28CQQDGLt4pmimDTs2S6O4/\n"
    "hPOQQNsdCn0p3cVAvgAvHrEUJm0/VSoAKe1LDLYnkHoF0s0sByHp4KTC7ukbzRoM\n"
    "lmj7AkEA+4nJuBpw9p3fkOpGlBiq3MjZyvvfp68HJRTL+wPhurQGEiRJQL9sp5Tc\n"
    "DQiJTe+wpDdSWh9fvX5xaEoUI2rv9QJADvpRzgEZrBPTk4vJHcHVioxsQuidBwH8\n"
    "u2TgrK78IRK6ZPPxxatlhKuERL81iaUh3nb3iC5zJUxbD7/TfSoM6wJAJeQaPOGi\n"
    "agPqCa4+piIqX47pp6BB1t87tfwc8r4YIJLZYb7Uq91+REYjJQq+H5sbgBxZjUMP\n"
    "nNB1XZlw4obNfQ==\n"
    "-----END PRIVATE KEY-----\n"
)
_OPENSSH = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAlwAAAAdzc2gtcn\n"
    "NhAAAAAwEAAQAAAIEAxfOqb1OkC/5OqmHCM5iOu9Z1bwtGPTA5OqZKB+ypVIbr/VVxPnz3\n"
    "gZB0OMzW0E1tLX88Dygr7HKiK/vNeKye/BgfZJq50AwJvpXGQ2VO7JtuAAkDbDLbLeYV+A\n"
    "SzGbvlIJ2NtZX3K89L27JMSAMvAVzkh+5haOMx4zbshHVj0dUAAAH4AuP4wQLj+MEAAAAH\n"
    "c3NoLXJzYQAAAIEAxfOqb1OkC/5OqmHCM5iOu9Z1bwtGPTA5OqZKB+ypVIbr/VVxPnz3gZ\n"
    "B0OMzW0E1tLX88Dygr7HKiK/vNeKye/BgfZJq50AwJvpXGQ2VO7JtuAAkDbDLbLeYV+ASz\n"
    "GbvlIJ2NtZX3K89L27JMSAMvAVzkh+5haOMx4zbshHVj0dUAAAADAQABAAAAgH6HsSK2AP\n"
    "8Vj+0CzeKzGlFg1PGk8EG+aGZf0qRcFySLlZ76FYfO01pDHrcL4CeHxki1sosxr1nVMGoS\n"
    "6xS+qmPxW0I+RxYsU+7dyh0fNfPrlrvOitXWirAv1SWlrJnhs/R09ojtExL6gN90YHuvjj\n"
    "NJkZe1kUtFRksXKoHh3dvFAAAAQCXkGjzhomoD6gmuPqYiKl+O6aegQdbfO7X8HPK+GCCS\n"
    "2WG+1KvdfkRGIyUKvh+bG4AcWY1DD5zQdV2ZcOKGzX0AAABBAP+zhtFHnUX0IL8lyt0b9W\n"
    "E6lII7+Fu8roLIiBZ9g2Oy578salfagUVMEmaDdb7FYHeZ/cxGVsIikt5NKb1NV28AAABB\n"
    "AMYu3imaKYNOzZLo7j+E85BA2x0KfSndxUC+AC8esRQmbT9VKgAp7UsMtieQegXSzSwHIe\n"
    "ngpMLu6RvNGgyWaPsAAAAAAQID\n"
    "-----END OPENSSH PRIVATE KEY-----\n"
)
_EC = (
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHcCAQEEIM02SOQnPMAb2qLC4x8FRtR26MtQpVQYqZgAKLvO8YFHoAoGCCqGSM49\n"
    "AwEHoUQDQgAE6JMr/SEDPOlEIO0K1K0JoEbA9tIcCddBsINgud89D7k4F+mvWEh5\n"
    "fCzxdB8KdzDFl6gfOHROxm4WVsJsnoTBfQ==\n"
    "-----END EC PRIVATE KEY-----\n"
)
_HELLO = (
    "tYWN/VpN+5Kz/jwtdhgBtr3yhic8iLrx4TXOJnz/7FL72i8y8S4vuhPlekNZ4PinAX4r5mUqGS4U"
    "TKXsNAtYaMgiE68rfDAM+U3svaKhRs2tt1RSj+LL5+0GXR9wVjcqYQRuGHZEKhLklAXryI5Z0YVW"
    "YG5ZukhjnadM98WjzMI="
)
_EMPTY = (
    "MQ7A5f1sHPqhEsd15reIoFl2VFuJCUUR3+g0zlsjUSFk4fRC+FJ4sKaJ3yvl6HX4pF82FkZvUOvO"
    "2Kp+CEwLuayv9IMf07WaACnsqnaLzt+tgOFiLZcDVQgyAHJaT1XWch6T0TP4Gkda1tlHEp083zMN"
    "25S794YLWRhqgebOEr8="
)
_UBER = (
    "H1hqUCWJL7RIeePqTjYAQjyxFhVMjIKxzk9p5CalAex9etG4J+aZh9ukVk0ysDl2lW4g8B7P9gMo"
    "iJfdMD5t5Dd+KX3NXz9DCbHU0JdfpnGEO5pS/kse2ZP+IK71/+e77uFgY64jNPaK3zRh1FvX8n0r"
    "bo4lK7zG+ZOdYtPdZ8A="
)

# Messages padded by hand (raw RSA with the key above): a padding string of 7 bytes (too
# short), of 8 (enough), no zero after it, block type 1, and an empty message. (A message
# that is not UTF-8 is left out: Terraform keeps its bytes, which its JSON shows as
# "\\ufffd" escapes; tablespec has U+FFFD characters.)
_SHORT_PS = (
    "LFe1E5M29gnDzNe937o9VSKAJii+PDLNsgcnc/foIA0r1oPeFFK37btU7PQ7IMSiI95aWAusw8mE"
    "eamQqfr7eQG7jJEq58wZTne4+3T1gOrJEsYDYQiWQddSncqmyO2wdvK8dOqdylXw2I69FHdToKuq"
    "LdJNZSeHzmXn79a88c0="
)
_OK_PS8 = (
    "boVCM3cehCpN99cBkEjNJqb2IZQZfCx9C2Ve25XgE7pyPqcrw6CnBGg96DxslJi8AjcXtae1tyL1"
    "JyWUIWZzNzaGks/xv8KpWomx9wfpXBn8nPeC2LW5cAhu519Tfhc7g+gTYFcuwohzoci1k8uZdkw9"
    "ekHoMBGxdklaO0kV42I="
)
_NO_ZERO = (
    "uZdiOQFJOnVIfjt99ZSc9yXBnX3TAqsAsm+R5hR7bZul5Rkzdar0y2zVRK9HYaT7vr65+rQDOfdC"
    "3Fo7G2Rq2iOhbkA06x0wnBCKDRhGQd5xah0SlTL/QUlNF/sVVNwPI93L0+F0oGfV6mT7QoIdZ4Ms"
    "SoAgLuE9F+swbP/LsXw="
)
_TYPE_1 = (
    "adcOxOjZgdhACZCiFr+81oT6EXhVO0Lpejl/OvBtt7zK3wTqCHp8f3wr6qCqf7eZW2mfu3wZd06e"
    "HVGb7R/IqxLI7YrJrkJhO5WHeBqRgb0Bb/Rig3aP80IUiHxDR3pwRzhU4iKAhFmI/mptsAWO2LdK"
    "JAeNJMGqco7cLlUFOz8="
)
_EMPTY_MSG = (
    "o6z6m0x0Lvo2i4y0NYxqq1444C2ojM10m5K8UXomGHyFzJ6mt1+57kP2FFfpo7iMXuPv/67SSwFc"
    "XuL73FzbWA/4EZQy+GNfVYL4p/lYHbYqWmMWhhIxVfBTtS4DONMCUlpLBUjY58txjJk9eAJeQzdU"
    "80RDD203/wWx5L6z6LI="
)


def _hcl(text: str) -> str:
    """*text* as an HCL quoted string."""
    return json.dumps(text)


def _rsa() -> list[str]:
    """rsadecrypt's arguments: each key format, bad ciphertexts, bad keys."""
    one, eight, ossh = _hcl(_PKCS1), _hcl(_PKCS8), _hcl(_OPENSSH)
    cipher = [_HELLO, _EMPTY, _UBER, _SHORT_PS, _OK_PS8, _NO_ZERO, _TYPE_1, _EMPTY_MSG]
    out = [f"{_hcl(c)}, {one}" for c in cipher]
    out += [f"{_hcl(_HELLO)}, {eight}", f"{_hcl(_UBER)}, {eight}", f"{_hcl(_HELLO)}, {ossh}"]
    out += [f"{_hcl(_HELLO)}, {_hcl(k)}" for k in (
        _EC, "", "not a key", _PKCS1.replace("RSA PRIVATE", "PRIVATE"),
        _PKCS8.replace("BEGIN PRIVATE", "BEGIN RSA PRIVATE").replace("END PRIVATE",
                                                                      "END RSA PRIVATE"),
        _PKCS1.replace("RSA PRIVATE KEY", "FOO"), "junk\n" + _PKCS1 + "junk",
        _PKCS1.replace("\n", "\r\n"), _PKCS1[:200] + _PKCS1[-40:],
        _PKCS1.replace("MII", "MIJ", 1))]
    out += [f"{_hcl(c)}, {one}" for c in (
        "", "not base64", _HELLO[:-4], "AAAA", _HELLO + "AAAA", "xfOqb1OkC/5Oqm" + "A" * 158)]
    return out


# The arguments of each call, by function.
_ARGS: dict[str, list[str]] = {
    "md5": ['"hello world"', '""', '"über"', '"e\\u0301"', "1", "true", '"😀"', '"a\\nb"'],
    "sha1": ['"hello world"', '""', '"über"', '"e\\u0301"', "1", "true", '"😀"', '"a\\nb"'],
    "sha256": ['"hello world"', '""', '"über"', '"e\\u0301"', "1", "true", '"😀"', '"a\\nb"'],
    "sha512": ['"hello world"', '""', '"über"', '"e\\u0301"', "1", "true", '"😀"', '"a\\nb"'],
    "base64sha256": ['"hello world"', '""', '"über"', '"e\\u0301"', "1", '"😀"'],
    "base64sha512": ['"hello world"', '""', '"über"', '"e\\u0301"', "1", '"😀"'],
    "uuidv5": [
        '"dns", "www.terraform.io"', '"url", "https://www.terraform.io/"',
        '"oid", "1.2.840.113549"', '"x500", "CN=Example"', '"DNS", "x"', '"", "x"',
        '"6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.terraform.io"',
        '"6BA7B810-9DAD-11D1-80B4-00C04FD430C8", "x"', '"6ba7b8109dad11d180b400c04fd430c8", "x"',
        '"{6ba7b810-9dad-11d1-80b4-00c04fd430c8}", "x"',
        '"x6ba7b810-9dad-11d1-80b4-00c04fd430c8y", "x"',
        '"urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8", "x"',
        '"URN:UUID:6ba7b810-9dad-11d1-80b4-00c04fd430c8", "x"',
        '"urx:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8", "x"',
        '"6ba7b810+9dad-11d1-80b4-00c04fd430c8", "x"',
        '"6ba7b810-9dad-11d1-80b4-00c04fd430cg", "x"',
        '"6ba7b810-9dad-11d1-80b4-00c04fd430c", "x"', '"dns", ""', '"dns", "über"',
        '"dns", "e\\u0301"', '"00000000-0000-0000-0000-000000000000", "x"',
    ],
    "rsadecrypt": _rsa(),
    "base64encode": [
        '"Hello World"', '""', '"a"', '"ab"', '"abc"', '"über"', '"日本語"', '"line\\nbreak"',
        '"😀"', '"e\\u0301"', "123", "true", '"${"$"}{x}"', '"a/b+c=d"',
    ],
    "base64decode": [
        '"SGVsbG8gV29ybGQ="', '"YWJj"', '"YWI="', '"YQ=="', '""', '"YQ"', '"YWI"',
        '"YQ==="', '"Y"', '"YWJj\\nZGVm"', '"YWJj\\r\\nZGVm"', '"YW Jj"', '"YWJj-_"',
        '"YQ==YQ=="', '"/w=="', '"gA=="', '"w7xiZXI="', '"ZcyB"', '"8J+YgA=="',
        '"YWJ="', '"YR=="', '"AA=="', '"=YWJj"', '"SGVsbG8sIFdvcmxkIQ=="', '"7aCA"',
    ],
    "base64gzip": [
        '"Hello World"', '""', '"über"', '"a"', 'join("", [for i in range(100) : "abc"])',
    ],
    "urlencode": [
        '"Hello World"', '"a b&c=d/e?f"', '"über"', '"~-._"', '"!*\'();:@&=+$,/?#[]"',
        '"日本語"', '"100%"', '"a+b"', '"\\n\\t"', '"https://example.com/?q=1"', '""',
    ],
    "jsonencode": [
        '{"hello" = "world"}', '"<b>&</b>"', '"\\u2028\\u2029"', '"\\u007f\\u0080"',
        '"\\u0008\\u000c\\n\\r\\t\\u0001\\u001f"', "1.5", "0.1", "1/3", "12345678901234567890",
        "null", "[null]", '{a = null, b = [1, "x"]}', "toset([3, 1, 2])",
        'tomap({b = 1, a = 2})', '["\\\\", "\\""]', '"😀"', "[]", "{}", "1.0e30",
        '{"z" = 1, "a" = 2, "B" = 3, "é" = 4, "_" = 5}', "tolist([])",
    ],
    "jsondecode": [
        '"{\\"hello\\": \\"world\\"}"', '"true"', '"false"', '"null"', '"1"',
        '"1.5"', '"1e3"', '"1E-3"', '"0.1"', '"12345678901234567890123"',
        '"3.14159265358979323846264338327950288419716939937510"', '"[]"', '"{}"',
        '"[1, \\"a\\", true, null, {}]"', '"{\\"a\\": [1, 2], \\"b\\": {\\"c\\": null}}"',
        '"  [1]  "', '"\\n{}\\n"', '""', '" "', '"nul"', '"NaN"', '"Infinity"', '"01"',
        '"1."', '".5"', '"+1"', '"[1,]"', '"{\\"a\\":1,}"', '"[1 2]"', '"1 2"',
        '"1]"', '"1]xyz"', '"{}}"', '"[1]]"', '"{} x"', '"\\"abc"', '"\\"\\\\u00e9\\""',
        '"\\"\\\\ud83d\\\\ude00\\""', '"\\"\\\\ud800\\""', '"\\"\\\\x\\""', '"\\"a\\tb\\""',
        '"{\\"a\\":1,\\"a\\":2}"', '"{\\"a\\":1,\\"a\\":\\"x\\"}"', '"{\\"a\\":\\"x\\",\\"a\\":1}"',
        '"{\\"a\\":true,\\"a\\":\\"x\\"}"', '"{\\"a\\":\\"true\\",\\"a\\":false}"',
        '"{\\"a\\":[1],\\"a\\":[2]}"', '"{\\"a\\":[1,2],\\"a\\":[3]}"',
        '"{\\"a\\":{\\"b\\":1},\\"a\\":{\\"c\\":2}}"',
        '"{\\"a\\":{\\"b\\":1},\\"a\\":{\\"b\\":2}}"',
        '"{\\"a\\":null,\\"a\\":1}"', '"{\\"a\\":1,\\"a\\":null}"', '"{\\"a\\":{},\\"a\\":null}"',
        '"[{\\"a\\":1},{\\"b\\":2}]"', '"\\"\\\\u003c\\""', '"-1e-400"',
        '"{\\"\\": 1}"', '"[[[[[]]]]]"', '"\\"e\\\\u0301\\""', '"{\\"k\\":\\"v\\"} "',
    ],
    "csvdecode": [
        '"a,b,c\\n1,2,3\\n4,5,6"', '"a,b\\n"', '""', '"a"', '"a\\n1"', '"a,b\\n1,2\\n"',
        '"a,b\\r\\n1,2\\r\\n"', '"a,b\\n1,2\\r"', '"a,b\\n\\n1,2\\n\\n"', '"a,b\\n1"',
        '"a,b\\n1,2,3"', '"a,a\\n1,2"', '"a,b\\n\\"x,y\\",2"', '"a,b\\n\\"x\\"\\"y\\",2"',
        '"a,b\\n\\"x\\ny\\",2"', '"a,b\\n\\"x\\r\\ny\\",2"', '"a,b\\n\\"x\\",\\"\\""',
        '"a,b\\nx\\"y,2"', '"a,b\\n\\"x\\"y,2"', '"a,b\\n\\"x,2"', '"a,b\\n \\"x\\",2"',
        '"a,b\\n\\"x\\" ,2"', '"\\"a\\",\\"b\\"\\n1,2"', '"a, b\\n1, 2"', '",\\n,"',
        '"a,b\\n,"', '"a;b\\n1;2"', '"a,b\\n1,2\\n3,4\\n5,6\\n7,8"', '"a\\n\\"\\""',
        '"a,b\\n1\\r2,3"', '"a\\n\\n\\n"', '"\\n\\na\\n1"', '"über,x\\né,y"',
    ],
    "textencodebase64": [
        '"Hello World", "UTF-16LE"', '"Hello World", "UTF-16BE"', '"Hello World", "UTF-16"',
        '"", "UTF-16"', '"", "UTF-16LE"', '"ab", "utf-16le"', '" x ", " UTF-8 "',
        '"Hello World", "UTF-8"', '"über", "ISO-8859-1"', '"über", "latin1"', '"€", "latin1"',
        '"€", "windows-1252"', '"€", "ISO-8859-15"', '"Hello", "US-ASCII"',
        '"über", "us-ascii"', '"日本語", "Shift_JIS"', '"日本語", "EUC-JP"', '"한국어", "EUC-KR"',
        '"中文", "GBK"', '"中文", "GB18030"', '"中文", "Big5"', '"über", "IBM437"',
        '"über", "IBM037"', '"Привет", "KOI8-R"', '"Привет", "windows-1251"',
        '"über", "macintosh"', '"😀", "UTF-16LE"', '"😀", "UTF-8"', '"x", "UTF-32"',
        '"x", "nope"', '"x", ""', '"Hello World", "cp1252"', '"Hello World", "csUTF16"',
        '"über", "ISO_8859-1:1987"', '"x", "utf8"',
    ],
    "textdecodebase64": [
        '"SABlAGwAbABvACAAVwBvAHIAbABkAA==", "UTF-16LE"', '"AEgAZQBsAGwAbw==", "UTF-16BE"',
        '"/v8ASABp", "UTF-16"', '"//5IAGkA", "UTF-16"', '"AEgAaQ==", "UTF-16"',
        '"/v8ASABp", "UTF-16BE"', '"SABpAA", "UTF-16LE"', '"SABpAA==", "UTF-16LE"',
        '"SA==", "UTF-16LE"', '"AND/", "UTF-16LE"', '"3ADcAA==", "UTF-16LE"',
        '"SGVsbG8=", "UTF-8"', '"/w==", "UTF-8"', '"77+9", "UTF-8"', '"/A==", "ISO-8859-1"',
        '"gA==", "windows-1252"', '"gQ==", "windows-1252"', '"gQ==", "ISO-8859-2"',
        '"pA==", "ISO-8859-15"', '"gA==", "US-ASCII"', '"SGk=", "US-ASCII"', '"", "UTF-8"',
        '"iLGWe4zq", "Shift_JIS"', '"x", "UTF-16LE"', '"SGk=", "nope"', '"gZ8=", "KOI8-R"',
        '"gQ==", "IBM037"', '"wQ==", "IBM037"', '"ZcyB", "UTF-8"', '"SGVsbG8=", " utf-8 "',
    ],
    "yamlencode": [
        '{"a" = "b", "c" = "d"}', '{"foo" = [1, 2, 3], "bar" = "baz"}',
        '{"foo" = [1, {"a" = "b", "c" = "d"}, 3], "bar" = "baz"}', '""', '"a"', '" a"',
        '"a "', '"a\\nb"', '"a\\n"', '"a\\n\\n"', '"\\n"', '"\\na"', '" a\\nb"', '"a \\nb"',
        '"a\\n b"', '"a\\tb"', '"a\\tb\\nc"', '"\\u0085"', '"\\u00a0"', '"\\u2028x"', '"é"',
        '"日本語"', '"😀"', '"\\ufeff"', '"x\\ufeff"', '"\\u007f"', '"\\u0000"', '"\\u001b"',
        '"\\\\"', '"\\""', '"null"', '"true"', '"1"', '"- a"', '"#"', '"---"', '"..."',
        "1", "-1", "0.5", "1/3", "12345678901234567890", "true", "false", "null",
        "[]", "{}", "[[]]", "[{}]", '{a = []}', '{a = {}}', '[[1, 2], [3]]',
        '[{a = 1, b = [2, 3]}]', '{a = [[1]]}', '{a = [{b = 1}]}', '[[{a = 1}]]',
        'toset(["b", "a"])', 'tomap({x = 1})', '[null, true, "x"]',
        '{"a\\nb" = 1}', '{"a\\nb" = [1]}', '{"a\\nb" = {c = 1}}', '{"" = 1}',
        '{"a b" = "c d"}', '{"😀" = 1}', '{"null" = null}',
        'join("", [for i in range(130) : "k"])', '{(join("", [for i in range(129) : "k"])) = 1}',
        '{(join("", [for i in range(128) : "k"])) = 1}',
        '{(join("", [for i in range(43) : "é"])) = 1}',
        'join(" ", [for i in range(40) : "word"])', 'join("  ", [for i in range(40) : "ab"])',
        '{a = join(" ", [for i in range(40) : "word"])}',
        '[join(" ", [for i in range(40) : "word"])]', 'join("", [for i in range(100) : "x"])',
        '"${join(" ", [for i in range(30) : "word"])}\\n${join(" ", [for i in range(30) : "w"])}"',
        '{a = "x\\ny", b = "z"}', '[["x\\ny"]]', '{a = {b = "x\\ny\\n"}}', '["x\\n\\n"]',
        '"  leading"', '"trailing  "', '"a\\r\\nb"', '"\\ta"',
    ],
    "yamldecode": [
        '"hello: world"', '"a: 1\\nb: [1, 2]\\nc: {d: e}"', '"- a\\n- b"', '""', '"~"',
        '"null"', '"Null"', '"NULL"', '"nulL"', '"true"', '"True"', '"TRUE"', '"tRue"', '"yes"',
        '"Yes"', '"y"', '"n"', '"no"', '"on"', '"off"', '"OFF"', '"1"', '"-1"', '"+1"',
        '"1.5"', '"1."', '".5"', '"-.5"', '"1e3"', '"1E+3"', '"1.5e-3"', '"0x1F"', '"0X1F"',
        '"0o17"', '"017"', '"08"', '"0b101"', '"1_000"', '"+.inf"', '"-.Inf"', '".nan"',
        '"12345678901234567890123"', '"0.1"', '"2001-12-14"', '"2001-12-14t21:59:43.10-05:00"',
        '"2001-12-14T21:59:43.10Z"', '"2001-12-14 21:59:43.10"', '"2001-12-14 21:59:43.10 -5"',
        '"2001-13-14"', '"2001-02-30"', '"2024-02-29"', '"2001-1-2"', '"2001-12-14T21:59:43"',
        '"2001-12-14T21:59:43+05:30"', '"\\"quoted\\""', '"\'single\'"', '"\\"1\\""',
        '"!!str 1"', '"!!int \\"1\\""', '"!!int 1"', '"!!float 1"', '"!!bool yes"',
        '"!!bool 1"', '"!!null x"', '"!!binary aGVsbG8="', '"!!binary xyz"', '"!foo x"',
        '"! x"', '"!!timestamp 2001-12-14"', '"!!int 0b101"', '"!!int -0x1F"',
        '"|\\n  text\\n"', '"|-\\n  12\\n"', '"|-\\n  true\\n"', '"|-\\n  null\\n"',
        '">\\n  folded\\n  text\\n"', '"a: |\\n  x\\n  y\\nb: 1"', '"a: &x 1\\nb: *x"',
        '"a: &x {c: 1}\\nb:\\n  <<: *x\\n  d: 2"', '"a: &x {c: 1}\\nb:\\n  d: 2\\n  <<: *x"',
        '"a: &x {c: 1}\\nb:\\n  c: 2\\n  <<: *x"', '"a: &x [1]\\nb:\\n  <<: *x"',
        '"a: &x {c: 1}\\nb: {<<: [*x]}"', '"<<: 1"', '"- <<"', '"a: *x"', '"a: &x [*x]"',
        '"&a a: 1\\nb: *a"', '"? [a]\\n: 1"', '"{[a]: 1}"', '"{~: 1}"', '"{null: 1}"',
        '"{1: a, 1.50: b, true: c, yes: d}"', '"a: 1\\na: 2"', '"a: 1\\na: x"',
        '"---\\na: 1"', '"---\\na: 1\\n..."', '"a: 1\\n---\\nb: 2"', '"---\\n---"', '"..."',
        '"# comment only"', '"a: 1 # comment"', '"[1, 2"', '"a: b: c"', '"\\tx: 1"',
        '"key: \\"\\\\u00e9\\""', '"key: \\"e\\\\u0301\\""', '"- - a\\n  - b\\n- c"',
        '"a:\\n  - b\\n  -\\n  - c"', '"[a, [b, {c: d}]]"', '"%YAML 1.1\\n---\\na: 1"',
        '"a: @x"', '"a: `x"', '"über: ä"', '"- 1\\n- a\\n- true\\n- null\\n- 1.5"',
        '"\\"a\\\\tb\\""', '"a: |+\\n  x\\n\\n"', '"a: >-\\n  x\\n  y\\n"', '"- !!str\\n- !!null"',
        '"x: !!seq [1]"', '"x: !!map {a: 1}"', '"x: !!seq {a: 1}"', '"0.0"', '"+0.5e+1"',
    ],
}


# Whole expressions: more of go-cty-yaml's and golang.org/x/text's corners.
_MORE: dict[str, list[str]] = {
    "yamlencode": [
        "yamlencode(join(\" \", [for i in range(50) : \"ab\"]))",
        "yamlencode(join(\"  \", [for i in range(50) : \"ab\"]))",
        "yamlencode({k = join(\" \", [for i in range(50) : \"abc\"])})",
        "yamlencode([[join(\" \", [for i in range(50) : \"abc\"])]])",
        "yamlencode({a = {b = {c = join(\" \", [for i in range(30) : \"abcd\"])}}})",
        "yamlencode(\"${join(\"\", [for i in range(79) : \"x\"])} y z\")",
        "yamlencode(\"${join(\"\", [for i in range(80) : \"x\"])} y z\")",
        "yamlencode(\"${join(\"\", [for i in range(81) : \"x\"])} y z\")",
        "yamlencode(\"${join(\"\", [for i in range(81) : \"x\"])}  y z\")",
        "yamlencode(\"${join(\"\", [for i in range(81) : \"x\"])} \")",
        "yamlencode(\"a\\n\\n\")",
        "yamlencode(\"a\\n\\nb\\n\")",
        "yamlencode(\" a\\nb\")",
        "yamlencode(\"\\n\\na\")",
        "yamlencode(\"a\\u2028b\")",
        "yamlencode(\"a\\u2028b\\nc\")",
        "yamlencode(\"a\\rb\")",
        "yamlencode(\"é\\nb\")",
        "yamlencode(\"😀\\nb\")",
        "yamlencode({\"${join(\"\", [for i in range(130) : \"k\"])}\" = {a = 1}})",
        "yamlencode({\"${join(\"\", [for i in range(130) : \"k\"])}\" = [1, 2]})",
        "yamlencode({\"${join(\"\", [for i in range(130) : \"k\"])}\" = \"x\\ny\"})",
        "yamlencode({\"k\\nl\" = \"x\\ny\"})",
        "yamlencode([{\"k\\nl\" = [1]}])",
        "yamlencode({a = [[1, [2]], {b = []}]})",
        "yamlencode([[[1]]])",
        "yamlencode({a = {b = {c = {}}}})",
        "yamlencode([\"a\\n\", \"b\"])",
        "yamlencode({a = \"x\\n\", b = \"y\"})",
        "yamlencode({a = \"x\\n\\n\", b = \"y\"})",
        "yamlencode(\"x\\n\\n\")",
        "yamlencode([\"x\\n\\n\"])",
        "yamlencode(1.0e30)",
        "yamlencode(-0.5)",
        "yamlencode(1/3)",
        "yamlencode(\"\\ufeffa\\nb\")",
        "yamlencode(\"a\\u00a0b\")",
        "yamlencode(\"\\u00a0\")",
        "yamlencode(\"a\\tb\\n\")",
        "yamlencode(\"# x\")",
        "yamlencode({\"#\" = \"#\"})",
        "yamlencode(\"${join(\" \", [for i in range(40) : \"é\"])}\")",
        "yamlencode(\"${join(\" \", [for i in range(40) : \"😀\"])}\")",
        "yamlencode(\"\\\"${join(\" \", [for i in range(40) : \"q\"])}\\\"\")",
        "yamlencode(\"a \\nb\")",
        "yamlencode(\"a\\n b\")",
        "yamlencode(\"a\\n\\tb\")",
        "yamlencode(\"  \")",
        "yamlencode(\"a\\n \")",
        "yamlencode(\" \\na\")",
    ],
    "yamldecode": [
        "yamldecode(\"a: 1\\nb:\\n  c: [1, 2]\\n  d: {e: f}\\n\")",
        "yamldecode(\"- &a {x: 1}\\n- *a\\n- <<: *a\\n  y: 2\")",
        "yamldecode(\"a: !!float 1\")",
        "yamldecode(\"a: !!float '1'\")",
        "yamldecode(\"a: !!int 1.5\")",
        "yamldecode(\"a: !!int 0x1F\")",
        "yamldecode(\"a: !!int 0o17\")",
        "yamldecode(\"a: !!int 1_000\")",
        "yamldecode(\"a: !!float 1_000.5\")",
        "yamldecode(\"a: !!float .inf\")",
        "yamldecode(\"a: !!float 1p3\")",
        "yamldecode(\"a: .5p1\")",
        "yamldecode(\"a: 1e\")",
        "yamldecode(\"a: 1.2.3\")",
        "yamldecode(\"a: 0x\")",
        "yamldecode(\"a: 0xFFFFFFFFFFFFFFFF\")",
        "yamldecode(\"a: 0x1FFFFFFFFFFFFFFFF\")",
        "yamldecode(\"a: !!int 0xFFFFFFFFFFFFFFFF\")",
        "yamldecode(\"a: !!int -0x8000000000000000\")",
        "yamldecode(\"a: !!int 18446744073709551616\")",
        "yamldecode(\"a: -0x1F\")",
        "yamldecode(\"a: +0x1F\")",
        "yamldecode(\"a: 2001-12-14 21:59:43\")",
        "yamldecode(\"a: 2001-12-14T21:59:43Z\")",
        "yamldecode(\"a: 2001-12-14T21:59:43.123456789Z\")",
        "yamldecode(\"a: 2001-12-14T21:59:43,5Z\")",
        "yamldecode(\"a: 2001-12-14T21:59:43+24:00\")",
        "yamldecode(\"a: 2001-12-14T21:59:43+25:00\")",
        "yamldecode(\"a: 2001-12-14T24:00:00Z\")",
        "yamldecode(\"a: 2001-12-14T1:2:3Z\")",
        "yamldecode(\"a: 0001-01-01\")",
        "yamldecode(\"a: 0000-01-01\")",
        "yamldecode(\"a: 2000-02-29\")",
        "yamldecode(\"a: 1900-02-29\")",
        "yamldecode(\"a: !!timestamp 2001-12-14T21:59:43\")",
        "yamldecode(\"a: !!timestamp x\")",
        "yamldecode(\"a: '2001-12-14'\")",
        "yamldecode(\"a: |-\\n  2001-12-14\")",
        "yamldecode(\"a: |-\\n  0x1F\")",
        "yamldecode(\"a: |-\\n  yes\")",
        "yamldecode(\"a: >-\\n  1.50\")",
        "yamldecode(\"a: !!str\\nb: !!int\")",
        "yamldecode(\"a: !!bool\")",
        "yamldecode(\"a: !!null ''\")",
        "yamldecode(\"a: !!binary |\\n  aGVs\\n  bG8=\")",
        "yamldecode(\"? a\\n? b\\n\")",
        "yamldecode(\"[a, b]: c\")",
        "yamldecode(\"{a: 1, a: 2}\")",
        "yamldecode(\"a: &x 1\\nb: &x 2\\nc: *x\")",
        "yamldecode(\"- &a\\n- *a\")",
        "yamldecode(\"a: &a\\n  b: *a\")",
        "yamldecode(\"<<: {a: 1}\")",
        "yamldecode(\"a: 1\\n<<: {a: 2}\")",
        "yamldecode(\"<<: {a: 2}\\na: 1\")",
        "yamldecode(\"<<: !!map {a: 1}\")",
        "yamldecode(\"'<<': {a: 1}\")",
        "yamldecode(\"b: [<<]\")",
        "yamldecode(\"{<<: 1}\")",
        "yamldecode(\"x: !!seq\\n- 1\")",
        "yamldecode(\"x: !!set {a}\")",
        "yamldecode(\"x: !!omap [a: 1]\")",
        "yamldecode(\"%TAG !e! tag:yaml.org,2002:\\n---\\na: !e!int 5\")",
        "yamldecode(\"a: !<tag:yaml.org,2002:str> 5\")",
        "yamldecode(\"a:    \\n\")",
        "yamldecode(\"\\ufeffa: 1\")",
        "yamldecode(\"a: \\\"\\\\x41\\\\u00e9\\\\U0001F600\\\\N\\\\_\\\"\")",
        "yamldecode(\"a: 'it''s'\")",
        "yamldecode(\"a: \\\"multi\\n  line\\\"\")",
        "yamldecode(\"a: plain\\n  continued\")",
        "yamldecode(\"a: -\")",
        "yamldecode(\"a: - x\")",
        "yamldecode(\"a: ~x\")",
        "yamldecode(\"a: .\")",
        "yamldecode(\"a: ..\")",
        "yamldecode(\"a: .e5\")",
        "yamldecode(\"a: 1.\")",
        "yamldecode(\"a: +.5\")",
        "yamldecode(\"a: 00\")",
        "yamldecode(\"a: 09\")",
        "yamldecode(\"a: 0o\")",
        "yamldecode(\"a: 0o8\")",
        "yamldecode(\"a: 0b1\")",
        "yamldecode(\"a: 12e-3\")",
        "yamldecode(\"a: 0.30000000000000004\")",
        "yamldecode(\"a: Off\\nb: oN\")",
        "yamldecode(\"key with spaces: value with spaces\")",
        "yamldecode(\"a: b # c\")",
        "yamldecode(\"a: 'b # c'\")",
        "yamldecode(\"a:\\n- 1\\n-  2\")",
        "yamldecode(\"- - - 1\")",
        "yamldecode(\"[]\")",
        "yamldecode(\"{}\")",
        "yamldecode(\"- \")",
        "yamldecode(\"-\")",
        "yamldecode(\":\")",
        "yamldecode(\"? \")",
        "yamldecode(\"a: [1, 2,]\")",
        "yamldecode(\"a: {b: 1,}\")",
        "yamldecode(\"a: [1, 2\")",
        "yamldecode(\"a:\\tb\")",
        "yamldecode(\"a: b\\n\\tc: d\")",
        "yamldecode(\"---\")",
        "yamldecode(\"--- 1\")",
        "yamldecode(\"--- |\\n  x\")",
        "yamldecode(\"...\\n\")",
        "yamldecode(\"a: 1\\n...\\n---\\n\")",
        "yamldecode(\"# c\\n---\\n# d\\na: 1\")",
        "yamldecode(\"%YAML 1.2\\n---\\na: 1\")",
        "yamldecode(\"%YAML 2.0\\n---\\na: 1\")",
        "yamldecode(\"a: \\u0085\")",
        "yamldecode(\"a: b\\u2028c\")",
    ],
    "textencodebase64": [
        "textencodebase64(\"日本語テキスト\", \"Shift_JIS\")",
        "textencodebase64(\"\\uff5e\", \"Shift_JIS\")",
        "textencodebase64(\"①\", \"Shift_JIS\")",
        "textencodebase64(\"¥\", \"Shift_JIS\")",
        "textencodebase64(\"~\\\\\", \"Shift_JIS\")",
        "textencodebase64(\"日本語\", \"ISO-2022-JP\")",
        "textencodebase64(\"ｱ\", \"ISO-2022-JP\")",
        "textencodebase64(\"똠\", \"EUC-KR\")",
        "textencodebase64(\"€\", \"GBK\")",
        "textencodebase64(\"€\", \"GB18030\")",
        "textencodebase64(\"😀\", \"GB18030\")",
        "textencodebase64(\"中文\", \"HZ-GB-2312\")",
        "textencodebase64(\"€\", \"Big5\")",
        "textencodebase64(\"€\", \"macintosh\")",
        "textencodebase64(\"ÿ\", \"IBM437\")",
        "textencodebase64(\"€\", \"IBM00858\")",
        "textencodebase64(\"€\", \"IBM01140\")",
        "textencodebase64(\"a\", \"IBM1047\")",
        "textencodebase64(\"Ў\", \"KOI8-U\")",
        "textencodebase64(\"\\u05ba\", \"windows-1255\")",
        "textencodebase64(\"a\", \"csIBM1047\")",
        "textencodebase64(\"a\", \"Windows-31J\")",
        "textencodebase64(\"a\", \"ISO-8859-11\")",
        "textencodebase64(\"a\", \"TIS-620\")",
        "textencodebase64(\"a\", \"x-mac-cyrillic\")",
        "textencodebase64(\"a\", \"UTF-7\")",
        "textencodebase64(\"a\", \"ISO-10646-UCS-2\")",
    ],
    "textdecodebase64": [
        "textdecodebase64(\"gkCCoA==\", \"Shift_JIS\")",
        "textdecodebase64(\"gUA=\", \"Shift_JIS\")",
        "textdecodebase64(\"hkA=\", \"Shift_JIS\")",
        "textdecodebase64(\"/A==\", \"Shift_JIS\")",
        "textdecodebase64(\"pKI=\", \"EUC-JP\")",
        "textdecodebase64(\"j6KzoQ==\", \"EUC-JP\")",
        "textdecodebase64(\"gUE=\", \"EUC-KR\")",
        "textdecodebase64(\"gA==\", \"GBK\")",
        "textdecodebase64(\"gA==\", \"GB18030\")",
        "textdecodebase64(\"hzA=\", \"Big5\")",
        "textdecodebase64(\"GyRCJCIbKEI=\", \"ISO-2022-JP\")",
        "textdecodebase64(\"fntCUHVafg==\", \"HZ-GB-2312\")",
        "textdecodebase64(\"vg==\", \"KOI8-U\")",
        "textdecodebase64(\"yg==\", \"windows-1255\")",
        "textdecodebase64(\"gA==\", \"ISO-8859-2\")",
        "textdecodebase64(\"2w==\", \"macintosh\")",
        "textdecodebase64(\"/w==\", \"IBM437\")",
        "textdecodebase64(\"QQ==\", \"IBM1047\")",
        "textdecodebase64(\"//4=\", \"UTF-16\")",
        "textdecodebase64(\"/v8=\", \"UTF-16\")",
        "textdecodebase64(\"\", \"UTF-16\")",
        "textdecodebase64(\"2D3eAA==\", \"UTF-16LE\")",
        "textdecodebase64(\"PdgA3g==\", \"UTF-16LE\")",
    ],
    "base64gzip": [
        "base64gzip(join(\"\\n\", [for i in range(50) : \"line ${i}\"]))",
        "base64gzip(\"😀 e\\u0301\")",
        "base64gzip(jsonencode({a = [1, 2]}))",
    ],
    "base64sha512": [
        "base64sha512(\"\")",
        "base64sha512(join(\"\", [for i in range(1000) : \"x\"]))",
        "base64sha512(\"\\n\")",
    ],
    "base64sha256": [
        "base64sha256(join(\"\", [for i in range(1000) : \"x\"]))",
        "base64sha256(\"\\n\")",
    ],
}

CASES: dict[str, list[str]] = {
    name: [f"{name}({args})" for args in calls] + _MORE.get(name, [])
    for name, calls in _ARGS.items()
}
