"""What a company name looks like when it has no legal suffix: capitalised words ending in the
noun of a trade ("Meadow Lane Dental", "Valley Housing Association", "Jozi Couriers").

Shared by the company extractor and the chat sign-off parser, which both have to tell
"Wits Enterprise" (a company) from "Braamfontein" (a place).
"""

from __future__ import annotations

import re
from typing import Final

_NOUNS: Final = (
    "Academy|Accountants|Accounting|Agency|Agri|Architects|Associates|Association|Assurance|"
    "Attorneys|Bakery|Brewery|Builders|Centre|Center|Charity|Church|Clinics?|Co|Co-op|College|"
    "Construction|Consulting|Council|Couriers|Credit Union|Dental|Design|Distillery|"
    "Engineering|Enterprises?|Estates?|Farms?|Foods|Foundation|Freight|Garden Centres?|"
    "Guesthouse|Health|Healthcare|Hospital|Hosting|Hotels?|Housing|Industries|Inn|Insurance|"
    "Joinery|Labs|Laboratories|Law|Legal|Logistics|Manufacturing|Media|Medical|Merchants|Motors|"
    "Mutual|Optometrists|Partners|Partnership|Pharmacy|Pharmacies|Practice|Print|Properties|"
    "Property|Recruitment|Retail|School|Schools|Services|Solicitors|Solutions|Studio|Supplies|"
    "Surgery|Systems|Technologies|Trading|Transport|Trust|University|Veterinary|Vets|Wines|"
    "Florists|Surveyors|Pharma|Motors|Haulage|Dairy|Vineyards?|Cellars|Lodge|Resort|Spa|"
    "Museum|Library|Libraries|Ministries|Municipality|Hub|Care|Marine|Energy|Capital|Finance|"
    "Investments|Consultants|Consultancy|Homes|Travel|Shipping|Mining|Chemicals|Packaging|"
    "Electrical|Software|Studios|Productions|Publishing|Club|Society|Institute|Bank|Brokers|"
    "Lettings|Developments|Hospice|Opticians|Brewing|Catering|Leisure|Fitness|Recycling|"
    "Contractors|Civils|Distribution|Wholesale|Automotive|Printers|Marketing|Interiors|Roofing|"
    "Plumbing|Timber|Steel|Nursery|Trustees|Commission|Authority|Board|Polytechnic|Chambers|Company"
)
_WORD = r"(?:[A-Z][\w'’.-]*|&|and|of|the|de|du|van|der)"
COMPANY_NOUN: Final = re.compile(
    rf"(?<![\w&])(?P<c>(?:The\s+)?[A-Z][\w'’.-]*(?:[ \t]+{_WORD}){{0,5}}?[ \t]+(?:{_NOUNS})"
    rf"(?:[ \t]+(?:{_NOUNS}|&[ \t]+[A-Z][\w'’-]*))*)"
    r"(?![\w-])"
)
# Words that never make a company on their own ("IT Service Desk", "Computing Services").
_GENERIC: Final = frozenset(
    [
        "it",
        "ict",
        "service",
        "services",
        "desk",
        "network",
        "networks",
        "operations",
        "computing",
        "systems",
        "support",
        "team",
        "department",
        "the",
        "and",
        "of",
        "&",
        "it's",
        "our",
        "we",
        "head",
        "main",
        "data",
        "technical",
        "infrastructure",
        "new",
        "old",
        "local",
        "internal",
        # departments: "Sarah from Accounts" is a colleague, not a customer company
        "accounts",
        "finance",
        "hr",
        "sales",
        "marketing",
        "reception",
        "admin",
        "payroll",
        "procurement",
        "facilities",
    ]
)


def is_generic(candidate: str) -> bool:
    """Only generic team words ("IT Services", "Network Operations")."""
    return all(w.lower() in _GENERIC for w in candidate.split())


def is_company(candidate: str, vendors: frozenset[str]) -> bool:
    """A capitalised phrase ending in a trade noun, not a vendor's or a generic team name."""
    words = candidate.split()
    if not words or words[0].lower() in vendors:
        return False
    meaningful = [w for w in words if w.lower() not in _GENERIC]
    return len(meaningful) >= 2 or (
        len(words) >= 2 and bool(meaningful) and words[-1] != "Services"
    )


def company_spans(text: str, vendors: frozenset[str]) -> list[tuple[int, int]]:
    """Offsets of every company-looking phrase in ``text``."""
    spans: list[tuple[int, int]] = []
    for match in COMPANY_NOUN.finditer(text):
        value = match.group("c")
        if is_company(value, vendors):
            spans.append(match.span("c"))
    return spans
