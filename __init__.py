"""govsite: an automated compliance inspector for government websites."""

__version__ = "0.1.0"
