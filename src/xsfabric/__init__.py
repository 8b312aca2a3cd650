"""xsfabric: read-only audit of XenServer / XCP-ng pools and the network and SAN around them."""

__version__ = "0.1.0"
