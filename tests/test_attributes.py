import pytest

from handlespor.attributes import region_for_postcode


@pytest.mark.parametrize(
    ("postcode", "region"),
    [
        ("1050", "Hovedstaden"),
        ("2670", "Sjælland"),
        ("3700", "Hovedstaden"),
        ("4000", "Sjælland"),
        ("5000", "Syddanmark"),
        ("6950", "Midtjylland"),
        ("7100", "Syddanmark"),
        ("7400", "Midtjylland"),
        ("7700", "Nordjylland"),
        ("8000", "Midtjylland"),
        ("9000", "Nordjylland"),
        ("0999", None),
        ("80000", None),
        ("abcd", None),
        ("", None),
    ],
)
def test_region_for_postcode(postcode, region):
    assert region_for_postcode(postcode) == region
