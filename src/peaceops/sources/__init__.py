"""Readers: each module turns one external format into typed records plus rejected rows with reasons."""

from peaceops.sources.records import Rejection, SourceRows

__all__ = ["Rejection", "SourceRows"]
