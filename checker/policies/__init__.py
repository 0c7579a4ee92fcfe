"""tablespec's Checkov policy files; Checkov needs this file to load the directory."""
