"""Share cards: 300×300 PNGs named by what they show, drawn once and then taken from the cache."""

from __future__ import annotations

import io

from PIL import Image

from cloudpeds import share_cards


def test_a_card_is_a_300_px_square_png_named_by_its_text(tmp_path):
    card = share_cards.Card("新生儿黄疸", "新生儿", "云儿科 Cloudpeds", "neonatal-jaundice-zh")
    with Image.open(io.BytesIO(share_cards.render(card))) as picture:
        assert picture.size == (300, 300) and picture.format == "PNG"
    other = share_cards.Card("新生儿黄疸", "新生儿", "云儿科 Cloudpeds（本院）", "neonatal-jaundice-zh")
    assert card.path.startswith("assets/share/neonatal-jaundice-zh.") and card.path != other.path


def test_long_titles_wrap_and_shrink_to_fit():
    size, lines = share_cards._fit("Acute abdominal pain in children over three months", "bold",
                                   (48, 42, 36, 30, 26), 252, 3)
    assert len(lines) <= 3 and size <= 36
    assert all(share_cards._font("bold", size).getlength(line) <= 252 for line in lines)


def test_cards_are_drawn_once(tmp_path):
    cards = [share_cards.Card("发热", "全身症状", "云儿科", "fever-zh"),
             share_cards.Card("Fever", "General", "", "fever-en")]
    assert share_cards.write(cards, tmp_path / "site", tmp_path / "cache") == 2
    assert share_cards.write(cards, tmp_path / "site2", tmp_path / "cache") == 0
    assert (tmp_path / "site2" / cards[0].path).read_bytes() == (tmp_path / "site" / cards[0].path).read_bytes()
