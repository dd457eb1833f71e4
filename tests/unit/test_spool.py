import hashlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publisher.core.spool import DamagedSpool, Spool, Spooled


@given(st.lists(st.text(), max_size=8))
def test_every_text_comes_back_as_it_went_in(texts: list[str]) -> None:
    spool = Spool()
    stored = [spool.put(text) for text in texts]
    assert [s.text() for s in reversed(stored)] == list(reversed(texts))
    assert [s.digest for s in stored] == [hashlib.sha256(t.encode("utf-8", "surrogatepass")).hexdigest() for t in texts]


def spool_at(path: Path, *, empty: bool = False) -> Spool:
    spool = Spool.in_file(path, empty=empty)
    assert spool is not None, "the file was taken"
    return spool


def test_a_spool_in_a_file_is_read_by_the_next_one_and_written_after_it(tmp_path: Path) -> None:
    first = spool_at(tmp_path / "texts.html")
    kept = first.put("<p>café</p>")
    first.unlock()
    second = spool_at(tmp_path / "texts.html")
    again = Spooled(second, kept.offset, kept.length, kept.digest)
    added = second.put("<p>more</p>")
    assert again.text() == "<p>café</p>" and added.text() == "<p>more</p>"
    assert added.offset == kept.length == second.size - added.length


def test_one_spool_at_a_time_writes_to_a_file(tmp_path: Path) -> None:
    holder = spool_at(tmp_path / "texts.html")
    assert Spool.in_file(tmp_path / "texts.html") is None  # taken
    holder.unlock()
    assert Spool.in_file(tmp_path / "texts.html") is not None


def test_a_new_empty_file_leaves_the_old_texts_readable(tmp_path: Path) -> None:
    old = spool_at(tmp_path / "texts.html")
    text = old.put("kept for a reader")
    old.unlock()
    new = spool_at(tmp_path / "texts.html", empty=True)
    assert new.size == 0 and (tmp_path / "texts.html").stat().st_size == 0
    assert text.text() == "kept for a reader"


def test_a_file_that_cannot_be_made_gives_no_spool(tmp_path: Path) -> None:
    (tmp_path / "a file").write_text("not a folder", encoding="utf-8")
    assert Spool.in_file(tmp_path / "a file" / "texts.html") is None


def test_a_text_whose_bytes_changed_in_the_file_is_refused_not_read(tmp_path: Path) -> None:
    path = tmp_path / "bodies.html"
    first = Spool.in_file(path)
    assert first is not None
    kept = [first.put("<p>First body</p>"), first.put("<p>Second body</p>")]
    first.unlock()
    data = path.read_bytes()
    path.write_bytes(data.replace(b"Second", b"Sekond"))  # the same size, other bytes: a damaged file
    reader = Spool.in_file(path)
    assert reader is not None
    again = [Spooled(reader, text.offset, text.length, text.digest) for text in kept]  # as the index gives them
    assert again[0].text() == "<p>First body</p>"
    with pytest.raises(DamagedSpool, match=f"at byte {kept[1].offset}"):
        again[1].text()
