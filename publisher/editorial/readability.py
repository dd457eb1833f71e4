"""Readability advice for English posts: long sentences, long paragraphs, and the Flesch reading ease.

Advice, not rules: a technical piece may need a long sentence, and the
reading-ease formula only counts syllables and sentence lengths. The audit
shows where a post is hardest to read so a writer can look; it fails nothing
unless asked to (`--fail-on`). Only the paragraphs' prose is read, never code,
tables or headings; a word is what spaces separate. The reading ease is
Flesch's formula over the sentences found here (the ones the long-sentence
advice quotes), with textstat's syllable counts. The formula and the counts
are English ones, so other languages get no readability section.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import textstat

from publisher.config.model import AuditConfig

OPENING_WORDS = 8  # how much of a long sentence or paragraph the report quotes to find it by
# Flesch's reading ease for English: 206.835 - 1.015 * words per sentence - 84.6 * syllables per word.
FLESCH_BASE, FLESCH_SENTENCE, FLESCH_SYLLABLE = 206.835, 1.015, 84.6
# A sentence ends at . ! ? or … (closing quotes and brackets may follow: `"Stop.")`) before a capital (Latin-1's
# too: "Émile"), a digit or an opening quote. The end is captured, to give it back to its sentence: a look-behind
# would make the split 5 times slower.
_SENTENCE_END = re.compile(r"([.!?…][\"'”’)\]]{0,3})\s+(?=[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])")
# Words with a dot that starts no sentence when a capital or a digit follows ("Dr. Smith", "e.g. Airtable",
# "vs. 12"), as Punkt's English abbreviations, and those that start none before a number ("Fig. 3", "No. 7",
# "Jan. 5": "Say no. Then…" ends one). Lower case, without their last dot. "etc." and "Inc." often end a sentence.
_ABBREVIATIONS = frozenset("mr mrs ms mx dr prof e.g i.e vs cf viz approx".split())
_BEFORE_A_NUMBER = frozenset("""no nos fig figs p pp vol vols ch sec eq art ca
    jan feb mar apr jun jul aug sep sept oct nov dec""".split())
# Initials and initialisms ("U.S.", "U.K.", "p.m.", "John F. Kennedy"): before a capital they end a sentence only
# when the next word is one that starts sentences rather than names ("in the U.K. The team…", not "the U.S.
# Department of Labor"), as Punkt tells a sentence's start by the word's usual case.
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
_STARTS_SENTENCES = frozenset("""a an the this that these those it its he she we they i you my our your their his her
    there here then but and or so yet if when while after before as because since although though once until
    unless now today yesterday tomorrow still also even only just most many some all both each every no not none
    few several more less what which who whom whose where why how in on at by for from with without to into
    under over about between during against among through do does did is are was were be has have had can could
    will would shall should may might must let one two three four five six seven eight nine ten however meanwhile
    instead indeed later soon first second finally last next yes""".split())
# The parts of words that have syllables: "long-form" is two ("long", "form"), "don't" one. (A plain character
# class: the exact word pattern, apostrophes only inside words, made the syllable count twice as slow.)
_SPOKEN_WORD = re.compile(r"[\w'’]+")
# A word that is a URL or code rather than something said: a scheme, `www.`, a dot between letters
# (`example.com`, `requests.get`), or a character prose has only in code (`_`, `=`, `/`, brackets, `@`…).
_CODE_OR_URL = re.compile(r"://|^www\.|\w\.\w|[_=/\\<>(){}\[\]@#$%^*|;`~]")
_OPENING, _CLOSING = "\"'“‘([{", "\"'”’)]}.,:;!?…"  # punctuation around a word of prose


@dataclass(frozen=True, slots=True)
class LongText:
    """A sentence or paragraph over its length limit: its first words, to find it by, and its length."""

    opening: str
    words: int


@dataclass(frozen=True, slots=True)
class Readability:
    """How easily a post's prose reads."""

    reading_ease: float | None  # Flesch, 0 (hard) to 100 (easy); None when the post has no prose
    long_sentences: tuple[LongText, ...]
    long_paragraphs: tuple[LongText, ...]


class Syllables:
    """Syllables of English words, from textstat (the CMU Pronouncing Dictionary, else pyphen's hyphenation).

    A URL or a piece of code in the prose (`requests.get(url)`, `https://example.com/a/b`, `snake_case`) is
    one syllable: it is read as one thing, not as the dozen words its parts would be, which gave a paragraph
    that names an API call a reading ease of -138. Each distinct word is looked up once per audit:
    textstat's own reading-ease function counts every word of every post again, 2 to 3 ms a post, most of an
    audit of a thousand posts.
    """

    def __init__(self) -> None:
        self._known: dict[str, int] = {}
        self._words: dict[str, int] = {}

    def count(self, text: str) -> int:
        """The syllables of every word of `text` (what spaces separate)."""
        return sum(times * self._of_word(word) for word, times in Counter(text.casefold().split()).items())

    def _of_word(self, word: str) -> int:
        known = self._words.get(word)
        if known is None:
            bare = word.lstrip(_OPENING).rstrip(_CLOSING)
            spoken = 1 if _CODE_OR_URL.search(bare) else sum(self._of(part) for part in _SPOKEN_WORD.findall(bare))
            known = self._words[word] = spoken
        return known

    def _of(self, part: str) -> int:
        known = self._known.get(part)
        if known is None:
            known = self._known[part] = max(1, int(textstat.syllable_count(part)))
        return known


def is_english(language: str) -> bool:
    """`en`, `en-GB`, `en_US`…: the languages the syllable counts and the formula are made for."""
    return language.casefold().replace("_", "-").split("-", 1)[0] == "en"


def readability(paragraphs: tuple[str, ...], limits: AuditConfig, syllables: Syllables) -> Readability:
    """The reading ease of the paragraphs together, and the sentences and paragraphs over their limits."""
    every = [sentence for paragraph in paragraphs for sentence in sentences(paragraph)]
    lengths = [len(sentence.split()) for sentence in every]
    return Readability(
        reading_ease=reading_ease(every, lengths, syllables),
        long_sentences=tuple(_long(s, n) for s, n in zip(every, lengths, strict=True) if n > limits.long_sentence),
        long_paragraphs=tuple(_long(p, n) for p in paragraphs if (n := len(p.split())) > limits.long_paragraph),
    )


def reading_ease(sentences: list[str], lengths: list[int], syllables: Syllables) -> float | None:
    """Flesch's reading ease of some sentences (`lengths`: their words), to one decimal; None for no words."""
    words = sum(lengths)
    if not words:
        return None
    spoken = syllables.count(" ".join(sentences))
    return round(FLESCH_BASE - FLESCH_SENTENCE * words / len(sentences) - FLESCH_SYLLABLE * spoken / words, 1)


def sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences ("e.g. this" and "3.5 times" stay whole: a sentence starts with a capital;
    "Dr. Smith", "e.g. Airtable" and "Fig. 3" too: an abbreviation ends none)."""
    parts = _SENTENCE_END.split(paragraph)  # text, end, text, end, …, text
    found: list[str] = []
    started = ""  # a sentence so far, when it went on past an abbreviation
    for i in range(0, len(parts) - 1, 2):
        sentence = started + parts[i] + parts[i + 1]
        started = sentence + " " if _ends_with_abbreviation(sentence, parts[i + 2]) else ""
        if not started:
            found.append(sentence)
    last = started + parts[-1]
    return [*found, last] if last else found


def _ends_with_abbreviation(text: str, following: str) -> bool:
    """Whether `text`, which ends with a dot, ends with an abbreviation rather than a sentence, given what
    follows it."""
    if not text.endswith("."):
        return False
    word = text.rsplit(None, 1)[-1].lstrip("\"'“‘([").casefold()[:-1]
    return (word in _ABBREVIATIONS or (word in _BEFORE_A_NUMBER and following[:1].isdigit())
            or (_INITIALS.fullmatch(word) is not None and not _starts_sentences(following)))


def _starts_sentences(text: str) -> bool:
    """Whether `text` starts with a word that starts sentences, not a name: a digit, or a word of
    `_STARTS_SENTENCES` ("The", "Then", "It"…)."""
    first = text.split(None, 1)[0].lstrip(_OPENING).rstrip(_CLOSING) if text.strip() else ""
    return first[:1].isdigit() or first.casefold() in _STARTS_SENTENCES


def _long(text: str, words: int) -> LongText:
    opening = text.split(maxsplit=OPENING_WORDS)
    return LongText(" ".join(opening[:OPENING_WORDS]) + ("…" if len(opening) > OPENING_WORDS else ""), words)
