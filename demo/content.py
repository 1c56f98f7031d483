"""Demo content, written in our own words from the seed pages (facts kept: names, places,
amounts, photo credits, years).

Each translatable text is a ``{"sv": ..., "en": ...}`` pair; the Swedish text is the source
and the English one is fed to wagtail-localize as the translator's work. The seeds give years
but no publication dates; the dates below are illustrative and keep the seed's order.
"""

import datetime


def t(sv, en):
    return {"sv": sv, "en": en}


IMAGES = {
    "dorotea": {
        "title": "Dorotea kommun med partner från Zambia och Zimbabwe",
        "credit": "ICLD",
        "alt": "Representanter för Dorotea kommun tillsammans med samarbetsparter.",
        "colours": ((28, 84, 140), (120, 190, 220)),
    },
    "bogota": {
        "title": "Care block i Bogotá",
        "credit": "Alice Hansson",
        "alt": "Ett av Bogotás Care blocks.",
        "colours": ((170, 60, 90), (250, 190, 120)),
    },
    "maidan": {
        "title": "Maidan square, Kyiv",
        "credit": "Oksana Huss",
        "alt": "Maidan square in Kyiv.",
        "colours": ((40, 90, 60), (210, 200, 90)),
    },
    "children": {
        "title": "Barn och unga",
        "credit": "Duy Pham, Unsplash",
        "alt": "Barn och unga i ett klassrum.",
        "colours": ((230, 120, 40), (255, 220, 150)),
    },
    "almedalen": {
        "title": "Johan Lilja i Almedalen 2020",
        "credit": "",  # The seed names no photographer: credits are optional.
        "alt": "Johan Lilja, generalsekreterare för ICLD.",
        "colours": ((60, 60, 110), (160, 170, 230)),
    },
}

HOME = {
    "slug": t("hem", "home"),
    "title": t("Startsida", "Home"),
    "intro": t(
        "Internationellt Centrum för Lokal Demokrati, ICLD, bekämpar fattigdom genom att "
        "stärka den lokala demokratin.",
        "The International Centre for Local Democracy, ICLD, fights poverty by strengthening "
        "local democracy.",
    ),
}

NEWS_INDEX = {
    "slug": t("nyheter", "news"),
    "title": t("Nyheter", "News"),
    "intro": t(
        "Nyheter om beviljade projekt, forskning och evenemang.",
        "News about granted projects, research and events.",
    ),
}

TOPIC_INDEX = {
    "slug": t("amnen", "topics"),
    "title": t("Ämnen", "Topics"),
    "intro": t("De områden vi arbetar med.", "The areas we work on."),
}

TOPICS = {
    "public-sector": {
        "slug": t("offentlig-sektor", "public-sector"),
        "title": t("Offentlig sektor", "Public sector"),
        "intro": t(
            "Kommuner och regioner som bygger demokrati tillsammans med partner i andra länder.",
            "Municipalities and regions building democracy together with partners abroad.",
        ),
    },
    "gender-equality": {
        "slug": t("jamstalldhet", "gender-equality"),
        "title": t("Jämställdhet", "Gender equality"),
        "intro": t(
            "Lokal demokrati där kvinnor och män har samma makt och möjligheter.",
            "Local democracy in which women and men have the same power and opportunities.",
        ),
    },
    "anti-corruption": {
        "slug": t("antikorruption", "anti-corruption"),
        "title": t("Antikorruption", "Anti-corruption"),
        "intro": t(
            "Öppenhet och ansvarsutkrävande i kommuner och regioner.",
            "Transparency and accountability in local and regional government.",
        ),
    },
    "children-and-youth": {
        "slug": t("barn-och-unga", "children-and-youth"),
        "title": t("Barn och unga", "Children and youth"),
        "intro": t(
            "Barns och ungas delaktighet i de beslut som rör dem.",
            "The participation of children and young people in the decisions that concern them.",
        ),
    },
    "sustainable-urban-development": {
        "slug": t("hallbar-stadsutveckling", "sustainable-urban-development"),
        "title": t("Hållbar stadsutveckling", "Sustainable urban development"),
        "intro": t(
            "Städer som planeras med och för sina invånare.",
            "Cities planned with and for the people who live in them.",
        ),
    },
}

RECIPIENTS = [
    # (name, kind, slug)
    ("Dorotea kommun", "municipality", "dorotea"),
    ("Kalix kommun", "municipality", "kalix"),
    ("Jönköpings kommun", "municipality", "jonkoping"),
    ("Lidköpings kommun", "municipality", "lidkoping"),
    ("Umeå kommun", "municipality", "umea"),
    ("Växjö kommun", "municipality", "vaxjo"),
    ("Älmhults kommun", "municipality", "almhult"),
    ("Region Gotland", "region", "region-gotland"),
    ("Region Norrbotten", "region", "region-norrbotten"),
    ("Region Västerbotten", "region", "region-vasterbotten"),
    ("Bollnäs kommun", "municipality", "bollnas"),
    ("Borås stad", "municipality", "boras"),
    ("Falu kommun", "municipality", "falun"),
    ("Falkenbergs kommun", "municipality", "falkenberg"),
    ("Kungsörs kommun", "municipality", "kungsor"),
    ("Lunds kommun", "municipality", "lund"),
]

PARTNERS = {
    # The seed names Dorotea's partners only by country.
    "zambia": ("Dorotea's partner in Zambia", "", "ZM"),
    "zimbabwe": ("Dorotea's partner in Zimbabwe", "", "ZW"),
    "bogota": ("Bogotá", "Bogotá", "CO"),
}

TEN_RECIPIENTS = [
    "dorotea",
    "kalix",
    "jonkoping",
    "lidkoping",
    "umea",
    "vaxjo",
    "almhult",
    "region-gotland",
    "region-norrbotten",
    "region-vasterbotten",
]
SIX_RECIPIENTS = ["bollnas", "boras", "falun", "falkenberg", "kungsor", "lund"]


def paragraph(sv, en):
    return ("paragraph", t(f"<p>{sv}</p>", f"<p>{en}</p>"))


ARTICLES = [
    {
        "key": "ten-municipalities",
        "type": "grant_announcement",
        "date": datetime.date(2023, 12, 12),
        "programme": "municipal_partnership",
        "total_amount": 18_000_000,
        "topics": ["public-sector"],
        "image": "dorotea",
        "slug": t(
            "demokratiprojekt-beviljade-for-tio-kommuner-och-regioner",
            "democracy-projects-granted-to-ten-municipalities-and-regions",
        ),
        "title": t(
            "Internationella demokratiprojekt beviljade för tio svenska kommuner och regioner",
            "International democracy projects granted to ten Swedish municipalities and regions",
        ),
        "intro": t(
            "Tre regioner och sju kommuner får tillsammans med sina internationella "
            "samarbetsparter demokratiprojekt för mer än 18 miljoner kronor från ICLD.",
            "Three regions and seven municipalities, each with an international partner, "
            "receive democracy projects worth more than SEK 18 million from ICLD.",
        ),
        "caption": t(
            "Dorotea kommun, en av de tio kommuner och regioner som beviljats ett "
            "demokratiprojekt, tillsammans med sina samarbetsparter från Zambia och Zimbabwe.",
            "Dorotea municipality, one of the ten municipalities and regions granted a "
            "democracy project, with its partners from Zambia and Zimbabwe.",
        ),
        "alt": t(
            "Representanter för Dorotea kommun och partner från Zambia och Zimbabwe.",
            "Representatives of Dorotea municipality and partners from Zambia and Zimbabwe.",
        ),
        "body": [
            paragraph(
                "Internationellt Centrum för Lokal Demokrati, ICLD, beviljar demokratiprojekt "
                "värda över 18 miljoner kronor. Varje projekt drivs av en svensk kommun eller "
                "region tillsammans med en internationell motsvarighet.",
                "The International Centre for Local Democracy, ICLD, grants democracy projects "
                "worth more than SEK 18 million. Each project is run by a Swedish municipality "
                "or region together with an international counterpart.",
            ),
            paragraph(
                "Kommunerna Dorotea, Kalix, Jönköping, Lidköping, Umeå, Växjö och Älmhult samt "
                "Region Gotland, Region Norrbotten och Region Västerbotten delar på pengarna.",
                "The municipalities of Dorotea, Kalix, Jönköping, Lidköping, Umeå, Växjö and "
                "Älmhult and the regions of Gotland, Norrbotten and Västerbotten share the "
                "funds.",
            ),
            (
                "fact_box",
                {
                    "title": t("I korthet", "In brief"),
                    "body": t(
                        "<ul><li>10 beviljade projekt</li><li>7 kommuner och 3 regioner</li>"
                        "<li>Över 18 miljoner kronor</li></ul>",
                        "<ul><li>10 granted projects</li><li>7 municipalities and 3 regions</li>"
                        "<li>More than SEK 18 million</li></ul>",
                    ),
                },
            ),
        ],
        "grants": [
            {"recipient": slug, "year": 2023, "partners": ["zambia", "zimbabwe"]}
            if slug == "dorotea"
            else {"recipient": slug, "year": 2023}
            for slug in TEN_RECIPIENTS
        ],
    },
    {
        "key": "umea-bogota",
        "type": "grant_announcement",
        "date": datetime.date(2023, 11, 20),
        "programme": "municipal_partnership",
        "total_amount": None,
        "topics": ["public-sector", "gender-equality", "sustainable-urban-development"],
        "image": "bogota",
        "slug": t(
            "umea-och-bogota-samarbetar-om-jamstalldhet",
            "umea-and-bogota-partner-on-gender-equality",
        ),
        "title": t(
            "Umeå och Bogotá samarbetar i internationellt jämställdhetsprojekt",
            "Umeå and Bogotá join forces in an international gender equality project",
        ),
        "intro": t(
            "ICLD har beviljat Umeå och Bogotá, Colombia, pengar för ett partnerskap om "
            "jämställdhet och hållbar stadsutveckling, inom ICLD:s jämställdhetsnätverk.",
            "ICLD has granted Umeå and Bogotá, Colombia, funding for a partnership on gender "
            "equality and sustainable urban development, within ICLD's gender equality network.",
        ),
        "caption": t(
            'Ett av de "Care blocks" som finns i Bogotá.',
            'One of the "Care blocks" in Bogotá.',
        ),
        "alt": t("Ett Care block i Bogotá.", "A Care block in Bogotá."),
        "body": [
            paragraph(
                "Umeå kommun och Bogotá ska tillsammans utveckla arbetet med jämställdhet och "
                "hållbar stadsutveckling. Partnerskapet är en del av ICLD:s jämställdhetsnätverk.",
                "Umeå municipality and Bogotá will together develop their work on gender "
                "equality and sustainable urban development. The partnership is part of ICLD's "
                "gender equality network.",
            ),
            (
                "quote",
                {
                    "quote": t(
                        "Jämställdhet är en förutsättning för en stark lokal demokrati.",
                        "Gender equality is a precondition for a strong local democracy.",
                    ),
                    "attribution": t("ICLD", "ICLD"),
                },
            ),
        ],
        "grants": [
            {
                "recipient": "umea",
                "year": 2023,
                "partners": ["bogota"],
                "topic": "gender-equality",
                "project_title": t(
                    "Jämställdhet och hållbar stadsutveckling",
                    "Gender equality and sustainable urban development",
                ),
            }
        ],
    },
    {
        "key": "ukraine-research",
        "type": "article",
        "kind": "research",
        "only": "en",  # The seed shows this article in English only, on the Swedish page.
        "date": datetime.date(2023, 10, 5),
        "programme": "research",
        "topics": ["public-sector", "anti-corruption"],
        "image": "maidan",
        "slug": {"en": "anti-corruption-research-shapes-training-in-ukraine"},
        "title": {
            "en": "Anti-corruption research shapes training of municipal managers in Ukraine"
        },
        "intro": {
            "en": "A research project on anti-corruption in Ukraine, granted by ICLD in 2019 and "
            "published in 2023, shows how democratic principles can be upheld in adversity and "
            "how collective dialogue builds resilience."
        },
        "caption": {
            "en": "Maidan square, inaugurated soon after the Revolution of Dignity in 2014, is "
            "still a symbol of citizens' sacrifices in challenging corruption."
        },
        "alt": {"en": "Maidan square in Kyiv."},
        "body": [
            (
                "paragraph",
                {
                    "en": "<p>ICLD granted the research project in 2019, before the full-scale "
                    "invasion. Its conclusions, published in 2023, are as relevant as ever.</p>"
                },
            ),
            (
                "paragraph",
                {
                    "en": "<p>The findings now shape the training of municipal managers in "
                    "Ukraine.</p>"
                },
            ),
        ],
    },
    {
        "key": "six-municipalities",
        "type": "grant_announcement",
        "date": datetime.date(2021, 12, 14),
        "programme": "municipal_partnership",
        "total_amount": 11_000_000,
        "topics": ["public-sector", "children-and-youth"],
        "image": "children",
        "slug": t(
            "sex-kommuner-delar-pa-11-miljoner",
            "six-municipalities-share-11-million",
        ),
        "title": t(
            "Sex kommuner delar på 11 miljoner för demokratiprojekt",
            "Six municipalities share SEK 11 million for democracy projects",
        ),
        "intro": t(
            "Bollnäs, Borås, Falun, Falkenberg, Kungsör och Lund delar på över 11 miljoner "
            "kronor från ICLD. Nästan alla projekt handlar om barns och ungas delaktighet.",
            "Bollnäs, Borås, Falun, Falkenberg, Kungsör and Lund share more than SEK 11 million "
            "from ICLD. Almost all projects concern the participation of children and youth.",
        ),
        "caption": t(
            "Många av de beviljade projekten handlar om barns och ungas deltagande och "
            "inkludering.",
            "Many of the granted projects are about the participation and inclusion of "
            "children and young people.",
        ),
        "alt": t("Barn och unga.", "Children and young people."),
        "body": [
            paragraph(
                "Över 11 miljoner kronor går till internationella demokratiprojekt i sex "
                "kommuner. Det är ICLD som fördelar pengarna.",
                "More than SEK 11 million goes to international democracy projects in six "
                "municipalities. The funds are distributed by ICLD.",
            ),
        ],
        "grants": [
            {"recipient": slug, "year": 2021, "topic": "children-and-youth"}
            for slug in SIX_RECIPIENTS
        ],
    },
    {
        "key": "almedalen-2020",
        "type": "article",
        "kind": "event",
        "date": datetime.date(2020, 6, 28),
        "programme": "",
        "topics": ["public-sector"],
        "image": "almedalen",
        "slug": t("icld-i-almedalen-2020", "icld-in-almedalen-2020"),
        "title": t(
            "Demokratin får inte ta paus – ICLD i Almedalen 2020",
            "Democracy cannot take a break – ICLD in Almedalen 2020",
        ),
        "intro": t(
            "Almedalsveckan är inställd i år på grund av pandemin, men arbetet för demokratin "
            "tar ingen paus. Under veckan lyfter ICLD fram det arbetet extra mycket.",
            "Almedalen Week is cancelled this year because of the pandemic, but the work for "
            "democracy takes no break. During the week ICLD highlights that work all the more.",
        ),
        "caption": t(
            "Johan Lilja, generalsekreterare ICLD, i Almedalen 2020.",
            "Johan Lilja, Secretary General of ICLD, in Almedalen 2020.",
        ),
        "alt": t("Johan Lilja i Almedalen.", "Johan Lilja in Almedalen."),
        "body": [
            paragraph(
                "Almedalsveckan, världens största demokratiska mötesplats för samhällsfrågor, "
                "är inställd på grund av pandemin.",
                "Almedalen Week, the world's largest democratic meeting place for public "
                "affairs, is cancelled because of the pandemic.",
            ),
            (
                "call_to_action",
                {
                    "text": t("Vi ses på icld.se/almedalen", "See you at icld.se/almedalen"),
                    "url": "https://www.icld.se/almedalen",
                },
            ),
        ],
    },
]

ABOUT = {
    "slug": t("om-icld", "about-icld"),
    "title": t("Om ICLD", "About ICLD"),
    "intro": t(
        "Vi på ICLD arbetar med fattigdomsbekämpning genom lokal demokratiutveckling.",
        "At ICLD we fight poverty by developing local democracy.",
    ),
    "body": [
        paragraph(
            "Vi är övertygade om att kampen mot fattigdom börjar hemma – i byn, staden eller "
            "kommunen. Därför arbetar vi tillsammans med människor som förändrar världen genom "
            "att bygga lokal demokrati.",
            "We are convinced that the fight against poverty starts at home – in the village, "
            "the town or the municipality. That is why we work with people who change the world "
            "by building local democracy.",
        ),
        paragraph(
            "Vi bygger på erfarenheter från svenska kommuner och regioner och på internationell "
            "forskning. Konkret gör vi det genom <b>Kommunala partnerskap</b>, "
            "<b>Internationella utbildningsprogram</b> och <b>Forskning</b>.",
            "We build on the experience of Swedish municipalities and regions and on "
            "international research. In practice we do it through <b>Municipal partnerships</b>, "
            "<b>International training programmes</b> and <b>Research</b>.",
        ),
        paragraph(
            "Vi är en ideell förening. Huvudman är Sveriges Kommuner och Regioner, SKR, och "
            "verksamheten finansieras av Sida. Vi är ca 25 anställda med kontor i Visby och i "
            'Stockholm. <a linktype="page" id="{topic_index}">Läs mer om vår verksamhet.</a>',
            "We are a non-profit association. Our principal is the Swedish Association of Local "
            "Authorities and Regions, SKR, and our work is funded by Sida. We are about 25 "
            'employees with offices in Visby and Stockholm. <a linktype="page" '
            'id="{topic_index}">Read more about our work.</a>',
        ),
        (
            "commitment",
            {
                "heading": t("Interna åtaganden", "Internal commitments"),
                "text": t(
                    "<p>Våra kärnområden är jämlikhet, delaktighet, transparens och "
                    "ansvarsutkrävande, och dem strävar vi själva efter att uppnå. Alla "
                    'har gått en kortare kurs i <a href="https://www.democracyfitness.eu/">'
                    "Demokratifitness</a> och vi fortsätter utbilda oss för att själva kunna "
                    "bli instruktörer.</p>",
                    "<p>Our core values are equality, participation, transparency and "
                    "accountability, and we strive to live up to them ourselves. Everyone "
                    'has taken a short course in <a href="https://www.democracyfitness.eu/">'
                    "Democracy Fitness</a> and we keep training so that we can become "
                    "instructors ourselves.</p>",
                ),
                "to_report": [
                    t(
                        "Våra kurser i demokratifitness, samt diplomerade instruktörer.",
                        "Our Democracy Fitness courses and certified instructors.",
                    )
                ],
            },
        ),
        (
            "commitment",
            {
                "heading": t("Externa åtaganden", "External commitments"),
                "text": t(
                    "<p>Vårt uppdrag är att främja demokrati på lokal nivå för att ytterst minska "
                    "fattigdom. Under 2021 genomför vi konferenser för kommuner och regioner, "
                    "bland annat med FN-förbundet och SKR:s satsning Glokala Sverige.</p>",
                    "<p>Our mission is to promote democracy at the local level in order, "
                    "ultimately, to reduce poverty. In 2021 we hold conferences for "
                    "municipalities and regions, among others with the United Nations "
                    "Association of Sweden and SKR's Glocal Sweden initiative.</p>",
                ),
                "to_report": [
                    t(
                        "Genomförda konferenser och liknande för svenska kommuner och regioner.",
                        "Conferences and similar events held for Swedish municipalities and "
                        "regions.",
                    )
                ],
            },
        ),
        (
            "commitment",
            {
                "heading": t("Kommunikativt åtagande", "Communication commitment"),
                "text": t(
                    "<p>Vår kommunikation ska stödja och stärka kommuner och regioner i deras "
                    "lokala demokratiarbete, och lyfta fram dem som genom samarbeten via ICLD "
                    "gjort skillnad för demokratin på lokal nivå.</p>",
                    "<p>Our communication supports and strengthens municipalities and regions "
                    "in their local democracy work, and highlights those that, through "
                    "partnerships via ICLD, have made a difference to local democracy.</p>",
                ),
                "to_report": [
                    t(
                        "Goda exempel från svenska kommuner och regioner som stärkt demokratin "
                        "på lokal nivå.",
                        "Good examples of Swedish municipalities and regions that have "
                        "strengthened local democracy.",
                    )
                ],
            },
        ),
    ],
}

SITE_SETTINGS = {
    "organisation_name": t(
        "Internationellt Centrum för Lokal Demokrati",
        "International Centre for Local Democracy",
    ),
    "footer_text": t(
        "<p>ICLD är en ideell förening. Huvudman är Sveriges Kommuner och Regioner, SKR. "
        "Verksamheten finansieras av Sida.</p>",
        "<p>ICLD is a non-profit association. Its principal is the Swedish Association of Local "
        "Authorities and Regions, SKR. Its work is funded by Sida.</p>",
    ),
    "address": t("Kontor i Visby och i Stockholm", "Offices in Visby and Stockholm"),
}
