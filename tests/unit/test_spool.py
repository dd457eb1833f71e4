import hashlib

from hypothesis import given
from hypothesis import strategies as st

from publisher.core.spool import Spool


@given(st.lists(st.text(), max_size=8))
def test_every_text_comes_back_as_it_went_in(texts: list[str]) -> None:
    spool = Spool()
    stored = [spool.put(text) for text in texts]
    assert [s.text() for s in reversed(stored)] == list(reversed(texts))
    assert [s.digest for s in stored] == [hashlib.sha256(t.encode("utf-8", "surrogatepass")).hexdigest() for t in texts]
