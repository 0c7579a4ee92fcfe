"""Table names and the spec: its naming patterns (`pattern`), which spec table and environment
a table found belongs to (`placement`), and the naming a set of names follows (`inference`,
for `spec init`)."""
