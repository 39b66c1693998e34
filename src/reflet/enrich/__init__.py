"""Offline enrichment: IP -> place and network, coordinates -> place name and timezone,
user agents -> devices. Everything here reads data installed by the set-up, never the network.
"""
