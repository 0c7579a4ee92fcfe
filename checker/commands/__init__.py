"""One module per `tablespec` command; each reads its source and calls the one pipeline."""
