"""Terraform's JSON syntax (`.tf.json`, `.tofu.json`): JSON read exactly (`syntax`), each
value's kind by where it stands in the schema (`kinds`), strings as templates (`strings`),
and the file as the same bodies and blocks the native syntax gives (`body`)."""
