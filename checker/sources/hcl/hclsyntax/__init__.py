"""A port of the parts of Terraform's native-syntax parser (hclsyntax) that decide whether
a file is refused and on which line: tokens, expressions, templates, and the error itself
(`errors.syntax_error`)."""
