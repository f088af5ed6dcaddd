import pytest

from cloudpeds.manual.ages import AgeBandError, label, labels, merge, parse_age_band


@pytest.mark.parametrize(("text", "code"), [
    ("0d-28d", "0d-28d"), ("1-3mo", "1mo-3mo"), ("3mo-5y", "3mo-5y"), (" 5y - 14y ", "5y-14y"),
])
def test_parse(text, code):
    assert parse_age_band(text).code == code


@pytest.mark.parametrize("text", ["", "5y", "3mo-1mo", "0-28", "0d-28days", "a-b"])
def test_parse_rejects(text):
    with pytest.raises(AgeBandError):
        parse_age_band(text)


def test_labels_in_both_languages():
    assert label(parse_age_band("0d-3mo"), "zh") == "< 3 月龄"
    assert label(parse_age_band("0d-3mo"), "en") == "under 3 months"
    assert label(parse_age_band("3mo-6mo"), "zh") == "3–6 月龄"
    assert label(parse_age_band("28d-3mo"), "en") == "28 days–3 months"
    assert label(parse_age_band("1y-5y"), "en") == "1–5 years"


def test_contiguous_bands_merge_and_whole_range_reads_all_ages():
    bands = [parse_age_band(b) for b in ("28d-3mo", "0d-28d")]
    assert [b.code for b in merge(bands)] == ["0d-3mo"]
    whole = parse_age_band("0d-3mo")
    assert labels(bands, "zh", whole=whole) == "全部年龄"
    assert labels(bands, "en") == "under 3 months"
