"""The A4P (2018) and A4P+ (2021) framework as versioned, linked data."""

from peaceops.framework.loader import framework_tree, load_framework

__all__ = ["framework_tree", "load_framework"]
