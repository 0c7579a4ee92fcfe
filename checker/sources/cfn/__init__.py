"""The CloudFormation source: templates (JSON or YAML) read with the line of every value."""
