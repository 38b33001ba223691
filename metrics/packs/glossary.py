"""Every abbreviation and shorthand a pack may use, in plain words. A pack carries the entries
its own text uses; a test checks that every abbreviation in a pack is here."""

from __future__ import annotations

import re

from metrics.words.symbols import SYMBOL_MEANINGS

TERMS: dict[str, str] = {
    **{f"[{symbol}]": meaning for symbol, meaning in SYMBOL_MEANINGS.items()},
    "Aim": "The level the council and its partners have agreed to reach (the target).",
    "Academic year": "Written 2025/26: September to August.",
    "Financial year": "Written 2025-26: April to March. Q1 is April to June, Q2 July to "
    "September, Q3 October to December, Q4 January to March.",
    "On track": "The latest figure meets the aim.",
    "At risk": "The latest figure is just short of the aim, within an agreed margin.",
    "Off track": "The latest figure is further from the aim than the agreed margin.",
    "No target": "No aim is set; the figure is shown for information.",
    "No recent data": "The figure for the period due has not arrived.",
    "Not evidenced": "Not enough up-to-date figures with an aim to judge the statement.",
    "A real change, not chance": "The figures have moved more, or for longer, than they "
    "usually vary from one period to the next, so the change is very unlikely to be chance.",
    "EHC": "Education, health and care.",
    "EHC plan": "An education, health and care plan: a legal document describing a child or "
    "young person's special educational needs and the support to meet them.",
    "EHCNA": "An education, health and care needs assessment, which decides whether a plan "
    "is needed.",
    "SEN": "Special educational needs.",
    "SEND": "Special educational needs and disabilities.",
    "SEN2": "The Department for Education's yearly return on EHC plans from every council.",
    "SENDIASS": "The SEND information, advice and support service, for families.",
    "IASS": "Information, advice and support service.",
    "NHS": "National Health Service.",
    "ICB": "Integrated care board: the NHS body that plans health services for the area.",
    "ONS": "Office for National Statistics.",
    "NEET": "Not in education, employment or training.",
    "DfE": "Department for Education.",
    "PCF": "Parent carer forum.",
    "Q1": "April to June (financial-year quarters).",
    "Q2": "July to September.",
    "Q3": "October to December.",
    "Q4": "January to March.",
}

SHORTHAND = "|".join(re.escape(f"[{symbol}]") for symbol in SYMBOL_MEANINGS)
ABBREVIATION = re.compile(rf"\b(?:[A-Z][A-Za-z]*[A-Z][A-Za-z0-9]*|Q[1-4])\b|{SHORTHAND}")


def abbreviations(text: str) -> set[str]:
    """The abbreviations and shorthand in `text` (words with two or more capitals, such as
    SEND or DfE, quarters, and the bracketed symbols)."""
    return set(ABBREVIATION.findall(text))


def used(text: str) -> list[tuple[str, str]]:
    """The glossary entries `text` needs, in the order of TERMS: its abbreviations and
    shorthand, and the terms (status words, "aim", ...) it uses."""
    found, lowered = abbreviations(text), text.lower()
    return [
        (term, meaning)
        for term, meaning in TERMS.items()
        if term in found or (not ABBREVIATION.fullmatch(term) and term.lower() in lowered)
    ]
