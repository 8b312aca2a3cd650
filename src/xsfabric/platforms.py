"""Platform and vendor names, shared by collectors and parsers.

Users write platform names the way the library they know spells them: netmiko (``cisco_xe``,
``cisco_ios_ssh``), NAPALM (``ios``, ``nxos_ssh``, ``junos``), pyATS / scrapli (``iosxe``,
``cisco_iosxe``). netutils' ``lib_mapper`` tables translate all of these to one normalized
name, and from it to the name each library wants: the ntc-templates platform (which selects
xsfabric's command set and TextFSM templates) and the NAPALM driver. Only what those tables do
not say is written here, with its reason.

:func:`vendor_of` lives here rather than in the SNMP collector because the SNMP parser needs it
too, and a parser must not import a collector (see ``tests/test_layers.py``).
"""

from __future__ import annotations

from netutils.lib_mapper import (
    MAIN_LIB_MAPPER,
    NAPALM_LIB_MAPPER,
    NAPALM_LIB_MAPPER_REVERSE,
    NETMIKO_LIB_MAPPER,
    NETMIKO_LIB_MAPPER_REVERSE,
    NTCTEMPLATES_LIB_MAPPER_REVERSE,
    PYATS_LIB_MAPPER,
    SCRAPLI_LIB_MAPPER,
)

#: netmiko's ``juniper`` is the same driver as ``juniper_junos``; netutils keeps the two apart.
_SAME_DRIVER = {"juniper": "juniper_junos"}
#: xsfabric reaches NX-OS over SSH only; NAPALM's ``nxos`` driver speaks NX-API (HTTPS).
_SSH_DRIVERS = {"nxos": "nxos_ssh"}
#: Connection variants netmiko accepts on top of the platform name.
_TRANSPORT_SUFFIXES = ("_ssh", "_telnet")


def normalize_platform(name: str) -> str:
    """Any library's platform name → netutils' normalized name; unknown names unchanged.

    >>> [normalize_platform(n) for n in ("cisco_ios_ssh", "ios", "nxos_ssh", "cisco_iosxe")]
    ['cisco_ios', 'cisco_ios', 'cisco_nxos', 'cisco_ios']
    >>> normalize_platform("JUNOS"), normalize_platform("juniper"), normalize_platform("acme")
    ('juniper_junos', 'juniper_junos', 'acme')
    """
    key = name.strip().lower()
    mappers = (MAIN_LIB_MAPPER, NAPALM_LIB_MAPPER, SCRAPLI_LIB_MAPPER, PYATS_LIB_MAPPER)
    candidates = [key] + [key.removesuffix(s) for s in _TRANSPORT_SUFFIXES if key.endswith(s)]
    for candidate in candidates:
        for mapper in mappers:
            if candidate in mapper:
                found = mapper[candidate]
                return _SAME_DRIVER.get(found, found)
    return _SAME_DRIVER.get(key, key)


def template_platform(name: str) -> str:
    """The ntc-templates platform whose command set and templates apply.

    >>> template_platform("cisco_xe"), template_platform("eos"), template_platform("xenserver")
    ('cisco_ios', 'arista_eos', 'xenserver')
    """
    normalized = normalize_platform(name)
    return NTCTEMPLATES_LIB_MAPPER_REVERSE.get(normalized, normalized)


def napalm_driver(platform: str) -> str | None:
    """The NAPALM driver for a platform name, None when NAPALM has none.

    >>> napalm_driver("cisco_xe"), napalm_driver("cisco_nxos"), napalm_driver("juniper")
    ('ios', 'nxos_ssh', 'junos')
    >>> napalm_driver("brocade_fos") is None
    True
    """
    driver = NAPALM_LIB_MAPPER_REVERSE.get(normalize_platform(platform))
    return _SSH_DRIVERS.get(driver, driver) if driver else None


def netmiko_device_type(platform: str) -> str:
    """The netmiko ``device_type`` for a platform name: a netmiko name (with its ``_ssh`` /
    ``_telnet`` variant) as given, any other library's name mapped.

    >>> netmiko_device_type("cisco_xe"), netmiko_device_type("cisco_iosxe")
    ('cisco_xe', 'cisco_ios')
    >>> netmiko_device_type("cisco_ios_telnet"), netmiko_device_type("nxos_ssh")
    ('cisco_ios_telnet', 'cisco_nxos')
    """
    key = platform.strip().lower()
    base = next((key.removesuffix(s) for s in _TRANSPORT_SUFFIXES if key.endswith(s)), key)
    if base in NETMIKO_LIB_MAPPER:
        return key
    return NETMIKO_LIB_MAPPER_REVERSE.get(normalize_platform(key), key)


# -- vendors ---------------------------------------------------------------------------------------

#: IANA enterprise numbers (the 7th arc of a sysObjectID) of the vendors whose MIBs xsfabric
#: reads.
VENDOR_ENTERPRISES = {"9": "cisco", "2636": "juniper", "30065": "arista"}
#: Vendor key → the name facts report.
VENDOR_NAMES = {"cisco": "Cisco", "juniper": "Juniper", "arista": "Arista"}


def vendor_of(platform: str | None, sys_object_id: str | None, sys_descr: str | None) -> str:
    """The vendor whose MIB paths apply: from the platform, else sysObjectID, else sysDescr.

    >>> vendor_of(None, "1.3.6.1.4.1.9.1.1208", None), vendor_of("juniper_junos", None, None)
    ('cisco', 'juniper')
    >>> vendor_of(None, None, "Juniper Networks, Inc. qfx5100-48s-6q"), vendor_of(None, None, "")
    ('juniper', 'other')
    """
    if platform:
        head = platform.split("_", 1)[0].lower()
        if head in VENDOR_NAMES:
            return head
    if sys_object_id:
        parts = sys_object_id.lstrip(".").split(".")
        if parts[:6] == ["1", "3", "6", "1", "4", "1"] and len(parts) > 6:
            vendor = VENDOR_ENTERPRISES.get(parts[6])
            if vendor:
                return vendor
    descr = (sys_descr or "").lower()
    for needle, vendor in (
        ("cisco", "cisco"),
        ("junos", "juniper"),
        ("juniper", "juniper"),
        ("arista", "arista"),
    ):
        if needle in descr:
            return vendor
    return "other"


def vendor_of_platform(platform: str) -> str | None:
    """The vendor name facts report for a platform (``cisco_nxos`` → ``Cisco``), None when
    xsfabric knows no vendor for it.

    >>> vendor_of_platform("juniper_junos"), vendor_of_platform("acme_os")
    ('Juniper', None)
    """
    return VENDOR_NAMES.get(vendor_of(platform, None, None))
