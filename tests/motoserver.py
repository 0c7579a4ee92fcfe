"""A real moto server on 127.0.0.1 and a free port: the stand-in AWS account (tests.support)."""

from tests.support.moto import REGION, free_port, moto_server

__all__ = ["REGION", "free_port", "moto_server"]
