"""The lab's array description: malformed entries are one error naming the file."""

from __future__ import annotations

import pytest

from xsfabric.errors import InputFileError
from xsfabric.lab.array_gen import parse_arrays


@pytest.mark.parametrize(
    ("arrays", "message"),
    [
        ([{"name": "fas1", "platform": "emc_vnx"}], "needs a name and a platform of netapp_cdot"),
        (
            [
                {
                    "name": "fas1",
                    "svms": [{"name": "s", "luns": [{"path": "/vol/a", "serial": "short"}]}],
                }
            ],
            "an ONTAP serial has 12 characters",
        ),
        (
            [{"name": "fas1", "svms": [{"name": "s", "lifs": [{"name": "l", "address": "nope"}]}]}],
            "LIF needs an address/prefix or a WWPN",
        ),
        (
            [
                {
                    "name": "fas1",
                    "svms": [{"name": "s", "maps": [{"lun": "/x", "igroup": "g", "id": 0}]}],
                }
            ],
            "names an undeclared LUN or igroup",
        ),
        ([{"name": "fas1", "svms": [{"name": "s", "volumez": []}]}], "unknown key(s) volumez"),
        (
            [{"name": "fas1", "svms": [{"name": "s", "igroups": [{"initiators": []}]}]}],
            "an entry lacks 'name'",
        ),
        (
            [
                {
                    "name": "fas1",
                    "svms": [
                        {
                            "name": "s",
                            "luns": [{"path": "/x", "serial": "80DbK+Xen0DB"}],
                            "igroups": [{"name": "g"}],
                            "maps": [{"lun": "/x", "igroup": "g", "id": "one"}],
                        }
                    ],
                }
            ],
            "invalid literal",
        ),
    ],
)
def test_malformed_arrays_name_the_file(arrays: object, message: str) -> None:
    with pytest.raises(InputFileError) as caught:
        parse_arrays(arrays, "estate.yaml")
    assert str(caught.value).startswith("estate.yaml: ")
    assert message in str(caught.value)
