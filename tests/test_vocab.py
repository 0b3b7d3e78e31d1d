"""The controlled vocabularies are complete and consistent."""

from __future__ import annotations

import shutil

import pytest

from conftest import ROOT
from regiot.problems import ValidationFailed
from regiot.vocab import load_vocab


def test_vocabularies_load():
    v = load_vocab(ROOT / "vocab", ROOT)
    assert len(v.prefectures) == 47
    assert [p["code"] for p in v.prefectures] == [f"{i:02d}" for i in range(1, 48)]
    assert len({tuple(p["tile"]) for p in v.prefectures}) == 47, "map tiles must not overlap"
    assert [b["id"] for b in v.blocks] == ["hokkaido", "tohoku", "kanto", "shinetsu", "hokuriku", "tokai",
                                           "kinki", "chugoku", "shikoku", "kyushu", "okinawa"]
    assert {p["block"] for p in v.prefectures} == {b["id"] for b in v.blocks}
    ten = [f["id"] for f in v.fields if f["revision"] == "2017-05"]
    assert ten == ["education", "health", "work", "disaster", "agriculture", "business", "tourism",
                   "public-private", "smart-city", "iot-infra"]
    assert [f["id"] for f in v.fields if f["revision"] != "2017-05"] == ["childcare"]


def test_every_award_edition_names_a_source():
    v = load_vocab(ROOT / "vocab", ROOT)
    for prog in v.awards:
        for ed in prog["editions"]:
            assert ed["sources"], (prog["id"], ed["year"])


@pytest.mark.parametrize("bad, expected", [
    ("        - {id: grand-prize, ja: 大賞, en: Grand Prize, public sector}\n", "needs exactly id, ja and en"),
    ("        - {id: grand-prize, ja: 大賞}\n", "needs exactly id, ja and en"),
])
def test_split_or_missing_prize_names_are_refused(tmp_path, bad, expected):
    vocab = tmp_path / "vocab"
    shutil.copytree(ROOT / "vocab", vocab)
    (vocab / "awards.yml").write_text(
        "- id: x\n  kind: award\n  name: {ja: X, en: X}\n  organiser: {ja: X, en: X}\n"
        "  description: {ja: X, en: X}\n  editions:\n    - year: 2020\n      name: {ja: X, en: X}\n"
        "      sources: [\"https://example.org/\"]\n      prizes:\n" + bad, encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        load_vocab(vocab, tmp_path)
    assert expected in exc.value.report()
    assert "vocab/awards.yml:" in exc.value.report()
