"""Table names and the spec, in one place: its naming patterns (`pattern`), which spec table
and environment a table found belongs to (`placement`), the names it can produce as IAM
wildcards (`wildcards`), and the naming a set of names follows (`inference`, for
`spec init`). The naming rules (checker/rules/naming.py) judge with these; they parse none."""
