"""Reporters: a Report in, text for people or machines out."""
