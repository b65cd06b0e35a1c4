"""The line-level second pass (worker.boilerplate) on hand-written text: each kind of junk goes, the story stays."""

from __future__ import annotations

import pytest

from worker.boilerplate import Line, clean_lines, clean_text, normalise

STORY = [
    "Gunmen attacked a police checkpoint on the northern edge of Karvona early on Sunday, killing three "
    "officers and wounding five others, the regional police command said.",
    "The attackers arrived in two pickup trucks shortly after 2 a.m. and opened fire on the post, which "
    "guards the main road into the city, according to a police spokesman.",
    "Residents said the shooting lasted for about forty minutes before reinforcements arrived from the "
    "city centre.",
    "No group has claimed responsibility for the attack, and the interior ministry said investigators "
    "were examining shell casings found near the scene.",
]


def with_junk(*junk: str, where: str = "middle") -> str:
    """The story with junk lines placed at the top, in the middle or at the bottom."""
    lines = list(STORY)
    if where == "top":
        lines = [*junk, *lines]
    elif where == "bottom":
        lines = [*lines, *junk]
    else:
        lines = lines[:2] + list(junk) + lines[2:]
    return "\n\n".join(lines)


def assert_clean(text: str, junk: list[str], **kwargs: object) -> None:
    out = clean_text(text, **kwargs).text  # type: ignore[arg-type]
    for sentence in STORY:
        assert sentence in out, f"story sentence lost: {sentence[:50]}"
    for line in junk:
        assert line not in out, f"junk kept: {line}"


JUNK_KINDS = {
    "advertisement": ["Advertisement", "ADVERTISEMENT", "Sponsored content", "Story continues below advertisement"],
    "read_more_related": ["Read more: Karvona police chief resigns after audit", "Related: Curfew lifted in Karvona",
                          "Related stories", "You may also like", "More on this story", "SEE MORE: Curfew lifted",
                          "Don't miss"],
    "newsletter": ["Sign up for our daily newsletter to get the latest news in your inbox.",
                   "Get the latest headlines delivered to your inbox every morning.",
                   "Thanks for signing up!", "Subscribe to our World Briefing newsletter"],
    "subscription_paywall": ["Subscribe to continue reading.", "Already a subscriber? Log in.",
                             "You have reached your limit of free articles this month.",
                             "This article is only available to subscribers."],
    "donation": ["Please consider supporting our independent journalism.",
                 "Donate today to keep local reporting alive.", "Become a member"],
    "photo_credit_caption": ["Photo: Getty Images", "Photo by Tomas Reyes/AP",
                             "Police guard the damaged checkpoint on Sunday. (Photo: Tomas Reyes/AP)",
                             "Image copyright Reuters"],
    "share_comment": ["Share this article", "Share on Facebook", "Tweet", "Email this story",
                      "Leave a comment", "12 comments", "View comments", "Join the conversation",
                      "Follow us on Twitter and Facebook for the latest updates."],
    "back_to_top": ["Back to top", "Top of page", "Skip to main content"],
    "cookie": ["We use cookies to improve your experience on our site.",
               "By continuing to use this site you agree to our use of cookies.", "Cookie settings"],
    "live_blog_chrome": ["Live updates", "Key events", "Show key events only", "Refresh", "Pinned post",
                         "Updated 10:42 GMT"],
    "wire_credits": ["Reporting by Anna Kovac; Editing by Tom Hale",
                     "The Associated Press contributed to this report.",
                     "Mara Ellison can be reached at mellison@courier.example."],
    "url_and_separator": ["https://www.courier.example/world/karvona", "___", "* * *"],
}


@pytest.mark.parametrize("kind", sorted(JUNK_KINDS))
def test_each_kind_of_junk_is_removed_and_the_story_kept(kind: str) -> None:
    junk = JUNK_KINDS[kind]
    for where in ("top", "middle", "bottom"):
        assert_clean(with_junk(*junk, where=where), junk)


def test_byline_and_dateline_repeated_in_the_body() -> None:
    junk = ["By Mara Ellison", "March 3, 2024 9:40 AM", "Sunday 3 March 2024", "2024-03-03T09:40:00+00:00"]
    assert_clean(with_junk(*junk, where="top"), junk, authors=["Mara Ellison"])
    assert_clean(with_junk("Mara Ellison", where="top"), ["Mara Ellison"], authors=["Mara Ellison"])


def test_title_repeated_as_first_line_is_removed() -> None:
    title = "Gunmen attack police checkpoint in Karvona, killing three"
    assert_clean(with_junk(title, where="top"), [title], title=title)
    # a first paragraph that merely begins like the title is story text and stays
    text = "\n\n".join([title + " officers in the early hours of Sunday, police said on Monday.", *STORY])
    assert text.split("\n\n")[0] in clean_text(text, title=title).text


def test_date_stamp_opening_a_paragraph_is_cut_and_the_rest_kept() -> None:
    text = "Published: Friday, January 18, 2008 " + STORY[0] + "\n\n" + "\n\n".join(STORY[1:])
    out = clean_text(text).text
    assert out.startswith("Gunmen attacked")
    assert "Published" not in out


def test_appeal_closing_a_paragraph_is_cut_and_the_sentence_before_kept() -> None:
    last = ("The governor ordered flags to fly at half-mast on Monday. "
            "Follow us on Twitter @courier for the latest updates.")
    out = clean_text("\n\n".join([*STORY, last])).text
    assert "The governor ordered flags to fly at half-mast on Monday." in out
    assert "Follow us" not in out


def test_comments_were_closed_inside_the_story_is_kept() -> None:
    text = with_junk("Comments were closed.")
    out = clean_text(text).text
    assert "Comments were closed." in out
    for sentence in STORY:
        assert sentence in out


def test_short_story_lines_and_subheadings_inside_the_story_are_kept() -> None:
    inner = ["Police response", "Witnesses said the gunmen fled north.", "He was 34.", "Two more were hurt."]
    out = clean_text(with_junk(*inner)).text
    for line in inner:
        assert line in out


def test_sentences_mentioning_junk_words_are_kept() -> None:
    story_like = [
        "The advertisement agency said it had received threats after the campaign was published.",
        "Police asked residents to share any video of the attack with investigators.",
        "The newspaper said its website had reached its limit of readers during the night of the attack.",
        "Photo evidence shown in court included images of the burned vehicle near the checkpoint.",
    ]
    assert_clean(with_junk(*story_like), [])
    out = clean_text(with_junk(*story_like)).text
    for line in story_like:
        assert line in out


def test_link_dense_lines_are_removed_but_linked_prose_stays() -> None:
    story = [Line(s, "p", 0) for s in STORY]
    teaser = Line("Karvona curfew lifted after weeks of unrest", "item", 43)
    nav = Line("Home | World | Sport | Opinion", "p", 26)
    linked_sentence = Line("The ministry published its full statement on the attack on its website on Monday evening.",
                           "p", 60)
    cleaned = clean_lines([story[0], nav, story[1], linked_sentence, story[2], teaser, story[3]])
    texts = [line.text for line in cleaned.kept]
    assert nav.text not in texts and teaser.text not in texts
    assert linked_sentence.text in texts
    assert all(s in texts for s in STORY)
    reasons = {r.reason for r in cleaned.removed}
    assert "link_line" in reasons


def test_layout_table_chrome_around_the_story_is_removed() -> None:
    lines = [Line("Home | News | Sport | Weather", "row", 0, True), Line("Search", "p", 0, True),
             *[Line(s, "p", 0, True) for s in STORY],
             Line("Top Stories", "head", 0, True), Line("Port strike enters second week", "p", 0, True)]
    texts = [line.text for line in clean_lines(lines).kept]
    assert texts == STORY


def test_site_repetition_removes_lines_seen_on_many_pages_of_the_site() -> None:
    footer = "Karvona Courier: independent since 1921"
    counts = {normalise(footer): 7}
    cleaned = clean_text(with_junk(footer, where="bottom"), site_count=lambda key: counts.get(key, 0))
    assert footer not in cleaned.text
    assert [r.reason for r in cleaned.removed] == ["site_repeated"]
    # a story sentence is never removed for being frequent
    counts[normalise(STORY[0])] = 50
    assert STORY[0] in clean_text(with_junk(), site_count=lambda key: counts.get(key, 0)).text
    # a short sentence repeated by a few updates of the same story stays
    update = "Police said two people were hurt."
    counts[normalise(update)] = 4
    assert update in clean_text(with_junk(update), site_count=lambda key: counts.get(key, 0)).text


def test_plain_text_lines_and_whitespace_are_normalised() -> None:
    text = "  " + STORY[0] + "  \r\n\r\nAdvertisement\r\n" + STORY[1] + "\n\n\n" + STORY[2] + "\t \n"
    out = clean_text(text).text
    assert out == "\n\n".join(STORY[:3])


def test_empty_and_junk_only_text() -> None:
    assert clean_text("").text == ""
    assert clean_text("Advertisement\n\nShare this article\n\nBack to top").text == ""


def test_place_dateline_on_its_own_line_is_joined_to_the_story() -> None:
    out = clean_text("STOCKTON —\n\n" + "\n\n".join(STORY)).text
    assert out.startswith("STOCKTON — Gunmen attacked a police checkpoint")


def test_listing_of_other_posts_after_the_story_is_removed() -> None:
    body = [Line(s, "p", 0, False, "div|article-body") for s in STORY]
    listing = [Line(f"Teaser {k}: council approves a new budget for river defences after a long debate.", "p", 0,
                    False, f"article|post-{k} post") for k in range(3)]
    cleaned = clean_lines([*body, *listing])
    assert [line.text for line in cleaned.kept] == STORY
    assert {r.reason for r in cleaned.removed} == {"foreign_tail"}
    # the same template continuing the story (a body split around an ad) stays
    more = Line("Forecasters expect the rain to ease on Wednesday, officials said.", "p", 0, False, "div|article-body")
    assert more.text in clean_lines([*body, more]).text


def test_hard_wrapped_wire_copy_is_unwrapped_not_cut() -> None:
    import textwrap

    paragraphs = [" ".join(STORY[:2]), " ".join(STORY[2:]),
                  "THE GOVERNOR OF THE PROVINCE ORDERED FLAGS TO BE FLOWN AT HALF-MAST ON MONDAY AND PROMISED "
                  "COMPENSATION TO THE FAMILIES OF THE OFFICERS WHO DIED IN THE ATTACK ON THE CHECKPOINT"]
    wrapped = "\n\n".join(textwrap.fill(p, width=68) for p in paragraphs)
    out = clean_text(wrapped).text
    assert out.split("\n\n") == paragraphs
    # text whose lines are its paragraphs is left as it is
    assert clean_text("\n".join(STORY)).text.split("\n\n") == STORY


def test_teaser_header_below_the_story_cuts_the_teasers_but_not_a_resumed_story() -> None:
    teasers = ["Related stories", "Curfew lifted in Karvona", "Port strike enters second week"]
    out = clean_text("\n\n".join([*STORY, *teasers])).text
    assert out.split("\n\n") == STORY
    resumed = ("The interior ministry later said that two suspects had been detained at a roadblock south of the "
               "city and were being questioned by investigators.")
    out = clean_text("\n\n".join([*STORY, "Related coverage", resumed])).text
    assert resumed in out and "Related coverage" not in out
    comments = ["Comments", "This is a disgrace and the ministry should resign over it, as I have said many times "
                "before on this website and elsewhere."]
    longer = [*STORY, "The governor ordered flags to be flown at half-mast on Monday and promised compensation to "
              "the families of the officers who died in the attack."]
    assert clean_text("\n\n".join([*longer, *comments])).text.split("\n\n") == longer
