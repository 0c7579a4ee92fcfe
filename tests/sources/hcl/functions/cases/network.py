"""Edge cases of the network functions, from Terraform's documentation of each.

Beyond the documented examples: Terraform's own address parsing (leading zeros in IPv4
octets read as decimal, IPv6 with an IPv4 tail, IPv4-mapped IPv6), negative and huge host
and network numbers (go-cidr checks only their low 64 bits), negative `newbits`, how Go
writes IPv6 addresses (RFC 5952), and the address space running out.
"""

from __future__ import annotations

CASES: dict[str, list[str]] = {
    "cidrhost": [
        'cidrhost("10.12.112.0/20", 16)', 'cidrhost("10.12.112.0/20", 268)',
        'cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)', 'cidrhost("10.0.0.0/24", -1)',
        'cidrhost("10.0.0.0/24", -256)', 'cidrhost("10.0.0.0/24", -257)',
        'cidrhost("10.0.0.0/24", 256)', 'cidrhost("10.0.0.0/8", 1.5)',
        'cidrhost("010.000.001.0/24", 1)', 'cidrhost("10.0.0.0/024", 1)',
        'cidrhost("10.0.0.5/24", 3)', 'cidrhost("10.0.0.0/32", 0)', 'cidrhost("10.0.0.0/32", 1)',
        'cidrhost("10.0.0.0/8", 18446744073709551616)', 'cidrhost("::/64", 9223372036854775808)',
        'cidrhost("::/100", 9223372036854775808)', 'cidrhost("::ffff:10.0.0.0/120", 5)',
        'cidrhost("::FFFF:1.2.3.4/128", 0)', 'cidrhost("1:0:0:4:0:0:0:8/128", 0)',
        'cidrhost("::1.2.3.4/128", 0)', 'cidrhost("2001:db8::/32", -1)',
        'cidrhost("2001:db8::/32", 18446744073709551617)', 'cidrhost("10.0.0.0/33", 1)',
        'cidrhost("10.0.0/8", 1)', 'cidrhost("10.0.0.256/8", 1)', 'cidrhost("10.0.0.0", 1)',
        'cidrhost("10.0.0.0/8 ", 1)', 'cidrhost("fe80::1%eth0/64", 1)', 'cidrhost("::/0", -1)',
        'cidrhost("192.168.1.0/24", "7")', 'cidrhost("192.168.1.0/24", -0)',
    ],
    "cidrnetmask": [
        'cidrnetmask("172.16.0.0/12")', 'cidrnetmask("10.0.0.0/0")', 'cidrnetmask("10.0.0.0/32")',
        'cidrnetmask("10.0.0.0/31")', 'cidrnetmask("10.0.0.0/33")', 'cidrnetmask("fd00::/64")',
        'cidrnetmask("::ffff:10.0.0.0/104")', 'cidrnetmask("::ffff:10.0.0.0/96")',
        'cidrnetmask("::ffff:10.0.0.0/95")', 'cidrnetmask("10.0.0.0")',
        'cidrnetmask("010.1.1.1/9")', 'cidrnetmask("1.2.3.4/-1")', 'cidrnetmask("1.2.3.4/+8")',
        'cidrnetmask("1.2.3.4/08")', 'cidrnetmask("1.2.3.4/1/2")', 'cidrnetmask("")',
    ],
    "cidrsubnet": [
        'cidrsubnet("172.16.0.0/12", 4, 2)', 'cidrsubnet("10.1.2.0/24", 4, 15)',
        'cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)', 'cidrsubnet("10.1.2.0/24", 4, 16)',
        'cidrsubnet("10.1.0.0/16", -8, 0)', 'cidrsubnet("10.0.0.0/16", -20, 0)',
        'cidrsubnet("10.0.0.0/8", 8, -1)', 'cidrsubnet("10.0.0.0/8", 8, 256)',
        'cidrsubnet("10.0.0.0/8", 64, 0)', 'cidrsubnet("10.0.0.0/8", 0, 0)',
        'cidrsubnet("10.0.0.0/8", 8, 18446744073709551616)',
        'cidrsubnet("::/0", 70, 18446744073709551617)',
        'cidrsubnet("::/0", 8, 18446744073709551616)', 'cidrsubnet("::ffff:10.0.0.0/104", 8, 5)',
        'cidrsubnet("::ffff:10.0.0.0/96", 8, 5)', 'cidrsubnet("10.0.0.0/8", 8.5, 1)',
        'cidrsubnet("10.0.0.0/8", -8, -1)', 'cidrsubnet("10.0.0.5/8", 8, 1)',
        'cidrsubnet("2001:db8::/32", 32, 4294967295)', 'cidrsubnet("2001:db8::/32", 96, 1)',
        'cidrsubnet("2001:db8::/32", 97, 1)', 'cidrsubnet("10.0.0.0/30", 2, 3)',
    ],
    "cidrsubnets": [
        'cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)',
        'cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)', 'cidrsubnets("10.0.0.0/8")',
        'cidrsubnets("10.0.0.0/8", 8, 8)', 'cidrsubnets("0.0.0.0/8", 8)',
        'cidrsubnets("0.0.0.0/0", 8)', 'cidrsubnets("::/0", 8)',
        'cidrsubnets("::ffff:10.0.0.0/104", 8)', 'cidrsubnets("10.0.0.0/8", 0)',
        'cidrsubnets("10.0.0.0/8", 33)', 'cidrsubnets("10.0.0.0/30", 1, 1, 1)',
        'cidrsubnets("10.0.0.0/24", 2, 2, 2, 2)', 'cidrsubnets("10.0.0.0/24", 1, 2, 1)',
        'cidrsubnets("10.0.0.0/8", 24, 25)', 'cidrsubnets("10.0.0.0/28", 8)',
        'cidrsubnets("10.1.2.0/24", 4, 2, 4)', 'cidrsubnets("2001:db8::/32", 32, 16, 32)',
        'cidrsubnets("10.0.0.0/8", 8.5)', 'cidrsubnets("10.0.0.0/8", "4", "4")',
        'cidrsubnets("10.0.0.0/16", 8, -1)',
    ],
}
