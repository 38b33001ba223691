"""The self-evaluation draft laid out: one HTML document (which also makes the tagged PDF)
with a section per inspection theme, and a spreadsheet with one table per kind of content,
each row naming its theme. Built on the meeting packs' own document, table and workbook
writers, so it meets the same accessibility checks."""

from __future__ import annotations

from html import escape

from metrics.dates import date_time, long_date
from metrics.packs.html import document, table
from metrics.packs.needs_section import TITLE as NEEDS_TITLE
from metrics.packs.sections import Table
from metrics.packs.self_evaluation import AUDIENCE, SelfEvaluation
from metrics.words.symbols import symbols_in_words

HEADINGS = (  # each theme's tables, in order, under these headings
    "The charter statements",
    "Measures",
    "Commentary",
    "What families and front-line staff tell us",
    "Leaders' self-review",
    "Actions",
)


def _facts(made: SelfEvaluation) -> list[tuple[str, str]]:
    return [
        ("Framework", made.framework or "Not given"),
        ("Quarter", made.quarter),
        ("Quarter's review", made.state),
        ("Self-review", made.review_point),
        ("Figures as at", date_time(made.figures_as_at)),
        ("Draft made", date_time(made.made_at)),
        ("Contact", made.contact or "Not given"),
    ]


def render_html(made: SelfEvaluation) -> str:
    body = []
    for theme in made.themes:
        body.append(f'<section id="{escape(theme.id)}"><h2>{escape(theme.title)}</h2>')
        body.append(f"<p>{escape(theme.cross_reference)}.</p>")
        for heading, t in zip(HEADINGS, theme.tables(), strict=True):
            body.append(f"<h3>{escape(heading)}</h3>{table(t)}")
        body.append("</section>")
    if made.needs is not None:
        body.append(f'<section id="needs"><h2>{escape(NEEDS_TITLE)}</h2>')
        body += [f"<p>{escape(line)}</p>" for line in made.needs.words]
        body.append(f"{table(made.needs.table)}</section>")
    body.append('<section id="leadership"><h2>Leadership: the self-review</h2>')
    body.append(f"<p>From the self-review of {escape(made.review_point)}.</p>")
    body.append(table(made.leadership))
    body.append("<h3>Below \u201cmostly confident\u201d with no action agreed</h3>")
    body.append("<ul>" + "".join(f"<li>{escape(x)}</li>" for x in made.low or ["None."]) + "</ul>")
    body.append("</section>")
    body.append(
        '<section id="method"><h2>How statuses are worked out</h2>'
        f"<p>{escape(made.status_rule)}</p></section>"
    )
    needs = [("needs", NEEDS_TITLE)] if made.needs is not None else []
    sections = (
        [(t.id, t.title) for t in made.themes]
        + needs
        + [
            ("leadership", "Leadership: the self-review"),
            ("method", "How statuses are worked out"),
        ]
    )
    html, made.glossary = document(
        made.title, made.council, f"Self-evaluation: {made.quarter}", AUDIENCE, _facts(made),
        sections, "".join(body), "", f"{made.council}, self-evaluation {made.quarter}",
    )  # fmt: skip
    return html


def _by_theme(made: SelfEvaluation, k: int, caption: str) -> Table:
    """The k-th table of every theme as one table, its first column the theme."""
    first = made.themes[0].tables()[k] if made.themes else Table("", [], [])
    return Table(
        caption,
        ["Theme", *first.headers],
        [[t.title, *row] for t in made.themes for row in t.tables()[k].rows],
    )


def render_xlsx(made: SelfEvaluation) -> bytes:
    tables = [
        ("Statements", _by_theme(made, 0, "Charter statements by inspection theme"),
         "A statement may serve several themes."),
        ("Measures", _by_theme(made, 1, "Measures by inspection theme"),
         "Statuses are explained in note 1."),
        ("Commentary", _by_theme(made, 2, "The planning group's commentary by theme"),
         "As written by the planning group."),
        ("Evidence", _by_theme(made, 3, "What families and front-line staff tell us, by theme"),
         "Evidence items from the year to the quarter's end."),
        *([("Needs_baseline", made.needs.table, " ".join(made.needs.words[-2:]))]
          if made.needs is not None else []),
        ("Self_review", made.leadership, f"From the self-review of {made.review_point}."),
        ("Actions", _by_theme(made, 5, "Open actions by theme"), "Actions not done or dropped."),
    ]  # fmt: skip
    notes = [
        ("note 1", made.status_rule),
        ("note 2", symbols_in_words()),
        *[(f"note {k + 3}", f"Below mostly confident with no action: {x}")
          for k, x in enumerate(made.low)],
    ]  # fmt: skip
    cover = [
        AUDIENCE,
        f"Framework: {made.framework or 'not given'}.",
        f"Quarter: {made.quarter}. Self-review: {made.review_point}.",
        f"Figures as at {date_time(made.figures_as_at)}; made {long_date(made.made_at)}.",
        "This workbook has a contents sheet, a notes sheet and one table per sheet.",
        f"Contact: {made.contact or 'not given'}.",
    ]
    from metrics.packs.xlsx import workbook  # XlsxWriter: only when a spreadsheet is made

    return workbook(made.title, cover, tables, notes)
