"""LinkedIn's commentary ("little" text format): reserved characters escaped, hashtags kept as hashtags, and links
left whole, whether publisher wrote them or a title holds one without its scheme."""

from publisher.social.linkedin import little_text


def test_a_links_fragment_is_part_of_the_link_not_a_hashtag() -> None:
    text = "Our FAQ moved: example.org/#faq (read it) #Growth https://hub.example/a_b/?utm_source=linkedin#top"
    assert little_text(text) == ("Our FAQ moved: example.org/#faq \\(read it\\) {hashtag|\\#|Growth} "
                                 "https://hub.example/a_b/?utm_source=linkedin#top")


def test_reserved_characters_outside_links_are_escaped() -> None:
    assert little_text("A [draft] <b> with *stars* ~ and @name") == (
        "A \\[draft\\] \\<b\\> with \\*stars\\* \\~ and \\@name")
