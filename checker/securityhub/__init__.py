"""Security Hub: the audit's findings in ASFF (`asff`), imported into each account (`importer`)."""
