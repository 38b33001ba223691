"""The house palette, declared once for the app's Plotly charts (ui/style.py) and the packs'
printed charts: Okabe-Ito, which colour-blind readers can tell apart."""

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}
OURS = OKABE_ITO["blue"]
ENGLAND = OKABE_ITO["black"]
REGION = OKABE_ITO["orange"]
NEIGHBOURS = OKABE_ITO["purple"]
TARGET = OKABE_ITO["green"]
SUB_REGION = OKABE_ITO["vermillion"]  # Inner or Outer London, a London borough's only
# Its line on the app's charts (Plotly's dash): a long dash and two dots, told apart without
# colour from the dash-dot of the neighbours and the target and a former council's long dash.
SUB_REGION_DASH = "12px,4px,2px,4px,2px,4px"
# Darker shades of the same hues for text on white (4.5:1), e.g. direct labels.
TEXT = {
    OURS: "#005A8C", ENGLAND: "#000000", REGION: "#8A5A00", TARGET: "#00684A",
    NEIGHBOURS: "#8E3F6B", SUB_REGION: "#A34700",
}  # fmt: skip
GRID = "#D9D9D9"

# (background, text): every pair has at least 4.5:1 contrast (WCAG 2.2 AA).
BADGES = {
    "on_track": ("#D5F0E6", "#004D38"),
    "at_risk": ("#FCEFC7", "#5C4200"),
    "off_track": ("#F9D9C8", "#8A2E00"),
    "no_target": ("#E3EEF8", "#0B3B66"),
    "no_recent_data": ("#EAEAEA", "#333333"),
    "not_evidenced": ("#EAEAEA", "#333333"),
    "withheld": ("#EAEAEA", "#333333"),
}
