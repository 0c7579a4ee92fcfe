"""Helpers the tests share (the moto bootstrap, ...): imported by tests, never by checker/."""
