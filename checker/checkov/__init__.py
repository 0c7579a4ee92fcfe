"""tablespec rules as Checkov custom policies: conf -> TableState -> the same rule code."""
