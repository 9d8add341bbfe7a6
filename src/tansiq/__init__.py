"""Tansiq: the platform a joint security coordination mechanism runs on."""

__version__ = "0.1.0"
