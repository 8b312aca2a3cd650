"""Simulated devices on loopback for tests, demos and benchmarks (SSH, SNMP, XenAPI)."""
