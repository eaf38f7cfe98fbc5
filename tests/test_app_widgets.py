"""Data-derived text is inert in Markdown; the legend escapes HTML."""

from pages._common.fmt import md


def test_markdown_escape_neutralises_links_images_and_emphasis():
    out = md("[x](javascript:alert(1)) ![i](http://e/x.png) **b** <img src=x onerror=alert(1)>")
    assert "](" not in out.replace("\\](", "")  # issue 22: '(' needs no escape once ']' has one
    assert "\\*\\*b\\*\\*" in out and "\\<img" in out


def test_plain_names_stay_readable():
    assert md("Oud-Oost") == "Oud-Oost"  # issue 22: a '-' inside a name opens nothing
    assert md("Poelenburg") == "Poelenburg"
