"""Our spaCy pipeline components, registered with spaCy so the pipeline is declared, not wired.

``vendor_mentions`` marks every catalogue vendor name and product family in a doc
(``doc.spans["vendors"]``, one span per mention, labelled with the canonical vendor), using
spaCy's PhraseMatcher: lower-case catalogue entries match in any case; entries with capitals
("PAN", "HPE", "Extreme") only as written, so the words "pan" and "extreme" are not vendors.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from bot.classifier.catalogue import Catalogue, load_catalogue

VENDOR_SPANS = "vendors"


class VendorMentions:
    """Pipeline component: vendor and product-family mentions from the catalogue."""

    def __init__(self, nlp: Language, catalogue: Catalogue) -> None:
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        for vendor in catalogue.vendors:
            for phrase in (*vendor.aliases, *vendor.families):
                exact = phrase != phrase.lower() and (phrase.isupper() or phrase in vendor.aliases)
                matcher = self._exact if exact else self._lower
                matcher.add(vendor.name, [nlp.make_doc(phrase)])

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, start, end, label=key)
            for matcher in (self._lower, self._exact)
            for key, start, end in matcher(doc)
        ]
        # Longest phrase wins where two overlap ("Cisco Meraki" over "Cisco").
        doc.spans[VENDOR_SPANS] = filter_spans(spans)
        return doc


@Language.factory("vendor_mentions")
def make_vendor_mentions(nlp: Language, name: str) -> VendorMentions:
    """spaCy factory: the component with the catalogue shipped in the package."""
    return VendorMentions(nlp, load_catalogue())
