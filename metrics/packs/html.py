"""A pack as one self-contained, accessible HTML file: headings in order, real tables with
header cells, each chart an image with alt text followed by its numbers as a table. Every
piece of text is escaped: nothing anyone typed becomes markup. The same HTML, with its print
styles (A4, the quarter and page number in the footer), makes the PDF."""

from __future__ import annotations

import base64
import re
from html import escape

from metrics.dates import date_time
from metrics.packs.content import AUDIENCE_WORDS, Pack
from metrics.packs.exception_item import ExceptionItem
from metrics.packs.front import Front
from metrics.packs.glossary import used
from metrics.packs.sections import Chart, Table
from metrics.packs.shape import SECTIONS

CSS = """
@page { size: A4; margin: 18mm 15mm 20mm 15mm;
  @bottom-left { content: "%(footer)s"; font-size: 8pt; color: #333333; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt;
    color: #333333; } }
html { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #1F1F1F;
  line-height: 1.4; }
body { margin: 0 auto; max-width: 60rem; padding: 0 0.75rem; }
h1 { font-size: 20pt; margin: 0.5em 0; } h2 { font-size: 15pt; margin-top: 1.4em; }
h3 { font-size: 12pt; margin-top: 1.2em; } h4 { font-size: 10.5pt; margin: 0.8em 0 0.2em; }
.cover { border-bottom: 2px solid #0B3B66; padding-bottom: 1em; }
.audience { font-weight: bold; padding: 0.4em 0.6em; border: 2px solid #0B3B66; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%%; margin: 0.5em 0 1em; font-size: 8.5pt; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.3em; }
th, td { border: 1px solid #8C8C8C; padding: 0.25em 0.4em; text-align: left;
  vertical-align: top; }
th { background: #E8EEF4; } thead { display: table-header-group; }
tr { page-break-inside: avoid; }
figure { margin: 0.5em 0; page-break-inside: avoid; } img { max-width: 100%%; height: auto; }
figcaption { font-size: 9pt; }
.compact table { font-size: 7pt; } .compact th, .compact td { padding: 0.05em 0.3em; }
article { page-break-inside: auto; border-top: 1px solid #8C8C8C; margin-top: 1em; }
.status { font-weight: bold; }
a { color: #0B3B66; }
nav a { display: inline-block; min-height: 24px; padding: 3px 0; }  /* tap targets, WCAG 2.5.8 */
@media print { .scroll { overflow: visible; } nav a { text-decoration: none; } }
"""

GLOSSARY = ("glossary", "Glossary")


def table(t: Table, row_headers: bool = True) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in t.headers)
    body = []
    for row in t.rows:
        cells = []
        for k, cell in enumerate(row):
            tag = "th" if k == 0 and row_headers else "td"
            scope = ' scope="row"' if tag == "th" else ""
            cells.append(f"<{tag}{scope}>{escape(cell)}</{tag}>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    if not t.rows:
        body.append(f'<tr><td colspan="{len(t.headers)}">None.</td></tr>')
    return (
        f'<div class="scroll" role="region" aria-label="{escape(t.caption)}" tabindex="0">'
        f"<table><caption>{escape(t.caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _exception(e: ExceptionItem) -> str:
    agreed = f" Agreed by the planning group: {escape(e.agreed)}." if e.agreed else ""
    parts = [
        f"<article><h3>{escape(e.title)}</h3>",
        f'<p><span class="status">Status: {escape(e.status)}.</span>{agreed}</p>',
        f"<p>{escape(e.figure)} {escape(e.why)}</p>",
        f"<p>{escape(e.data_quality)}.</p>",
        f"<p>Lead: {escape(e.owner)}.</p>",
    ]
    if e.held_back:
        parts.append(f"<p>{escape(e.held_back)}</p>")
    elif e.what is None:
        parts.append("<p>No commentary has been written for this quarter.</p>")
    else:
        for heading, text in (
            ("What is happening", e.what),
            ("Why", e.why_text),
            ("What happens next", e.what_next),
        ):
            parts.append(f"<h4>{heading}</h4><p>{escape(text or '')}</p>")
        if e.written:
            parts.append(f"<p><small>{escape(e.written)}.</small></p>")
    parts.append("<h4>Actions</h4>")
    if e.actions:
        parts.append("<ul>" + "".join(f"<li>{escape(a)}</li>" for a in e.actions) + "</ul>")
    else:
        parts.append("<p>No open action is recorded against this measure.</p>")
    if e.chart is not None:
        parts.append(_figure(e.chart))
    if e.heading:
        parts.append(f"<h4>Where it is heading (a projection)</h4><p>{escape(e.heading)}</p>")
    if e.projection is not None:
        parts.append(table(e.projection))
    parts.append("</article>")
    return "".join(parts)


def _front(f: Front | None) -> list[str]:
    if f is None:
        return []
    out = [
        '<section id="key-messages"><h2>Key messages</h2>',
        f"<p><small>{escape(f.note)}</small></p>",
    ]
    for heading, lines in f.parts:
        out.append(f"<h3>{escape(heading)}</h3><ul>")
        out += [f"<li>{escape(line)}</li>" for line in lines]
        out.append("</ul>")
    return [*out, "</section>"]


def _scorecard(pack: Pack) -> list[str]:
    if pack.scorecard is None:
        return []
    return [
        '<section id="scorecard"><h2>Scorecard: every measure over the last quarters</h2>',
        "<p>Each cell is the measure's status at the end of that quarter and the figure it "
        "was judged on; the measures needing attention come first.</p>",
        table(pack.scorecard),
        "</section>",
    ]


def _questions(pack: Pack) -> list[str]:
    if not pack.public:
        return []
    out = ['<section id="questions"><h2>Members\' questions</h2>']
    if pack.questions is not None:
        out.append(table(pack.questions))
    out.append("<h3>Questions members may want to ask</h3>")
    out.append("<ol>" + "".join(f"<li>{escape(q)}</li>" for q in pack.suggested) + "</ol>")
    return [*out, "</section>"]


def _needs(pack: Pack) -> list[str]:
    """The needs baseline (none without a needs return): each locality in words, the gaps,
    the method, and the table."""
    if pack.needs is None:
        return []
    return [
        f'<section id="needs"><h2>{escape(SECTIONS["needs"])}</h2>',
        *[f"<p>{escape(line)}</p>" for line in pack.needs.words],
        table(pack.needs.table),
        "</section>",
    ]


def _figure(chart: Chart) -> str:
    """A chart as an image with its alt text, then its numbers as a table."""
    data = base64.b64encode(chart.svg.encode()).decode()
    return (
        f'<figure><img src="data:image/svg+xml;base64,{data}" alt="{escape(chart.alt)}" '
        f'width="{chart.width}" height="{chart.height}"><figcaption>{escape(chart.alt)} '
        "The figures follow in a table.</figcaption></figure>" + table(chart.table)
    )


def _parts(pack: Pack) -> dict[str, list[str]]:
    """Each section's HTML, by its key (metrics/packs/shape.py); empty when the pack has none."""
    return {
        "key messages": _front(pack.front),
        "statements": [
            '<section id="statements"><h2>How we are doing: the 12 charter statements</h2>',
            table(pack.statements),
            "</section>",
        ],
        "scorecard": _scorecard(pack),
        "exceptions": [
            '<section id="exceptions"><h2>Measures needing attention</h2>',
            "<p>Measures off track, at risk, without recent data, or getting worse for real.</p>",
            *[_exception(e) for e in pack.exceptions],
            "</section>",
        ],
        "evidence": [
            '<section id="evidence"><h2>What families and front-line staff tell us</h2>',
            table(pack.evidence, row_headers=False),
            "</section>",
        ],
        "actions": [
            '<section id="actions"><h2>Actions due and overdue</h2>',
            table(pack.actions),
            "</section>",
        ],
        "measures": [
            '<section id="measures"><h2>Every measure</h2>',
            table(pack.indicators, row_headers=False),
            "</section>",
        ],
        "benchmarks": [
            '<section id="benchmarks"><h2>How we compare: England, the region, neighbours and '
            "every council</h2>",
            table(pack.benchmarks),
            *[
                f"<h3>{escape(v.title)}</h3>{_figure(v.over_time)}{_figure(v.focus)}"
                f'<div class="compact">{table(v.councils)}</div>'
                for v in pack.benchmark_views
            ],
            "</section>",
        ]
        if pack.benchmarks is not None
        else [],
        "questions": _questions(pack),
        "quality": [
            '<section id="quality"><h2>Data quality</h2><ul>',
            *[f"<li>{escape(n)}</li>" for n in pack.quality or ["No concerns."]],
            "</ul></section>",
        ],
        "needs": _needs(pack),
        "method": [
            '<section id="method"><h2>How statuses are worked out, and small numbers</h2>',
            f"<p>{escape(pack.status_rule)}</p><h3>Small numbers</h3><p>{escape(pack.rule)}</p>",
            "</section>",
        ],
    }


def _chosen(pack: Pack) -> list[tuple[str, list[str]]]:
    """The sections the pack holds, in the chair's order, each with its HTML."""
    parts = _parts(pack)
    return [(key, parts[key]) for key in pack.sections if parts.get(key)]


def render(pack: Pack) -> str:
    # The sections' HTML made once: the contents and the body both come from it (each was
    # made twice, every section's tables and charts escaped and joined again for its key).
    chosen = _chosen(pack)
    body = "".join(line for _, html in chosen for line in html)  # what the glossary reads
    sections = [
        (key.replace(" ", "-"), SECTIONS[key]) for key, _ in chosen
    ]  # (the anchor: "key-messages")
    facts = [
        ("Quarter", pack.quarter),
        ("Review", pack.state),
        ("Figures as at", date_time(pack.figures_as_at)),
        ("Pack made", date_time(pack.made_at)),
        ("Contact", pack.contact or "Not given"),
    ]
    html, pack.glossary = document(
        pack.title, pack.council, f"Disabled children's charter: {pack.quarter}",
        AUDIENCE_WORDS[pack.audience], facts, sections, body, pack.rule,
        f"{pack.council}, {pack.quarter}",
    )  # fmt: skip
    return html


def document(
    title: str,
    council: str,
    heading: str,
    audience: str,
    facts: list[tuple[str, str]],
    sections: list[tuple[str, str]],
    body: str,
    more_words: str,
    footer: str,
) -> tuple[str, list[tuple[str, str]]]:
    """A whole document around its body (cover, contents, glossary, print styles), and the
    glossary worked out from every abbreviation it uses. `sections` lists the body's sections
    (id, heading) for the contents; the glossary is added as the last."""
    glossary_terms = used(title + " " + more_words + " " + body)
    contents = "".join(f'<li><a href="#{k}">{escape(v)}</a></li>' for k, v in [*sections, GLOSSARY])
    # a CSS string inside <style>: HTML escapes are not read there, so leave out what could
    # end the string or the element
    footer = re.sub(r'[\\"<>]', "", footer)
    glossary = "".join(
        f"<dt>{escape(term)}</dt><dd>{escape(meaning)}</dd>" for term, meaning in glossary_terms
    )
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        f"<style>{CSS % {'footer': footer}}</style></head><body>"
        f'<header class="cover"><p>{escape(council)}</p>'
        f"<h1>{escape(heading)}</h1>"
        f'<p class="audience">{escape(audience)}</p>'
        '<dl class="facts">'
        + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts)
        + "</dl></header>"
        f'<nav aria-label="Contents"><h2>Contents</h2><ol>{contents}</ol></nav>'
        f"<main>{body}"
        f'<section id="glossary"><h2>Glossary</h2><dl class="facts">{glossary}</dl></section>'
        "</main></body></html>"
    )
    return html, glossary_terms
