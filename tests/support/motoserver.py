"""A real moto server on 127.0.0.1 and a free port: the stand-in AWS account."""

from checker.demo.moto import free_port, moto_server

REGION = "eu-west-1"

__all__ = ["REGION", "free_port", "moto_server"]
