"""Warnings for likely personal data in evidence text, before it is saved.

Evidence is about services, never about one child: the author confirms it holds no personal
data, and these checks catch the commonest slips. They are a safety net, not a guarantee,
and the page says exactly what they do and do not look for (`CHECKED`, `NOT_CHECKED`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHECKED = (
    "email addresses",
    "UK phone numbers (mobile and landline, with or without +44)",
    "dates of birth (a date after 'born', 'DOB' or 'date of birth')",
    "NHS numbers (ten digits that pass the NHS number check)",
    "postcodes",
    "a capitalised name straight after 'my son', 'my daughter', 'my child' and the like",
    "a name after a title (Mr, Mrs, Ms, Miss, Mx, Dr)",
)
NOT_CHECKED = (
    "names anywhere else",
    "addresses without a postcode",
    "details that identify a child when put together (a rare condition, a small school, an "
    "age and a village)",
    "anything inside an attachment",
)

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\d+])(?:\+44\s?(?:\(0\)\s?)?|0)\d(?:[\s-]?\d){8,9}(?!\d)")
DATE = r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9},?\s+\d{4})"
BIRTH = re.compile(
    rf"(?i:\b(?:born(?:\s+on)?|d\.?o\.?b\.?|date\s+of\s+birth)\b[\s:,-]*(?:was\s+|is\s+)?{DATE})"
)
NHS = re.compile(r"(?<!\d)\d{3}[\s-]?\d{3}[\s-]?\d{4}(?!\d)")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b")
RELATIVE = re.compile(
    r"(?i:\bmy\s+(?:son|daughter|child|boy|girl|grandson|granddaughter|brother|sister|"
    r"niece|nephew)(?:'s)?\s*,?\s+)([A-Z][a-z]+)"
)
NOT_NAMES = {"Is", "Was", "Has", "Had", "And", "But", "Who", "When", "The", "He", "She", "They"}
TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z]+(?:[- ][A-Z][a-z]+)?")

# Small numbers in words or digits before the people (or their plans) they count: what a
# published paper must not say ("five plans", "3 children"). Checked for free text going
# into a published pack, with the council's threshold (`small_numbers`).
NUMBER_WORDS = {
    "one": 1, "a single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
COUNTED = (
    r"(?:child(?:ren)?|young\s+(?:people|person)|famil(?:y|ies)|parents?|parent\s+carers?|"
    r"carers?|pupils?|students?|boys?|girls?|learners?|(?:EHC\s+)?plans?|cases?|referrals?|"
    r"appeals?|requests?|assessments?|complaints?|placements?|exclusions?|suspensions?|"
    r"people|persons?|sons?|daughters?|babies|infants?|toddlers?|teenagers?|residents?|"
    r"households?|siblings?)"
)
SMALL = re.compile(
    rf"(?i:\b(\d+|{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})"
    rf"(?:\s+(?:more|other|new|disabled|autistic|looked-after|of\s+the|of\s+our|"
    rf"[a-z]+-?[a-z]*))?\s+{COUNTED}\b)"
)


@dataclass(frozen=True)
class Warning_:
    what: str  # "an email address"
    found: str  # the text that looks like it

    def sentence(self) -> str:
        return f"This looks like {self.what}: \u201c{self.found}\u201d."


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * (10 - k) for k, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def warnings(*texts: str | None) -> list[Warning_]:
    """Each likely piece of personal data in the texts, in the order found."""
    out: list[Warning_] = []
    for text in texts:
        if not text:
            continue
        out += [Warning_("an email address", m.group()) for m in EMAIL.finditer(text)]
        out += [Warning_("a date of birth", m.group()) for m in BIRTH.finditer(text)]
        for m in NHS.finditer(text):
            if nhs_number_valid(re.sub(r"\D", "", m.group())):
                out.append(Warning_("an NHS number", m.group()))
        nhs = {w.found for w in out if w.what == "an NHS number"}
        out += [
            Warning_("a phone number", m.group())
            for m in PHONE.finditer(text)
            if m.group() not in nhs
        ]
        out += [Warning_("a postcode", m.group()) for m in POSTCODE.finditer(text)]
        out += [
            Warning_("a child's name", m.group().strip())
            for m in RELATIVE.finditer(text)
            if m.group(1) not in NOT_NAMES
        ]
        out += [Warning_("a person's name", m.group()) for m in TITLED.finditer(text)]
    return out


def small_numbers(threshold: int, *texts: str | None) -> list[Warning_]:
    """Each count from 1 to `threshold` (in digits or words) of children, families, plans
    and the like in the texts: a published paper withholds such numbers."""
    out = []
    for text in texts:
        for m in SMALL.finditer(text or ""):
            word = m.group(1).lower()
            n = int(word) if word.isdigit() else NUMBER_WORDS.get(word, threshold + 1)
            if 1 <= n <= threshold:
                out.append(Warning_("a small number", m.group()))
    return out
