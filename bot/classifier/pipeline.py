"""The extractor: one spaCy pipeline compiled at load time, run over subject, body and quoted
history, and the rules that pick one finding per field.

Order matters: the body (the customer's new words) and the subject come first; the sender's
details are a fallback; quoted history is read only for fields the new text leaves empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import spacy
from spacy.language import Language

from bot.classifier import components  # noqa: F401 - registers our spaCy factories
from bot.classifier.catalogue import Catalogue, load_catalogue
from bot.classifier.company import company_names
from bot.classifier.contacts import (
    contact_emails,
    contact_names,
    handed_over,
    sender_email,
    sender_name,
)
from bot.classifier.distractors import distractor_spans
from bot.classifier.fault_type import classify_fault_type
from bot.classifier.identifiers import contract_numbers, serial_numbers
from bot.classifier.labelled_lines import labelled_values
from bot.classifier.location import locations
from bot.classifier.parts import Part, usable_end
from bot.classifier.phones import phone_numbers, regions
from bot.classifier.products import ProductFinder
from bot.classifier.severity import assess_severity, stated_severity
from bot.classifier.summaries import diagnosis_summary, fault_summary
from bot.classifier.types import Extraction, Finding, ReportText, Sender, TextSource
from bot.classifier.versions import VersionFinder
from bot.errors import ConfigError
from bot.fields import FieldKey

# Values found only in quoted history are less certain: they may belong to someone else.
_QUOTED_FACTOR = 0.8
# The keys the extractors find (severity, fault type and summaries are assessed separately).
_ALL: frozenset[FieldKey] = frozenset(
    {
        "contract_number",
        "serial_number",
        "software_version",
        "contact_phone",
        "contact_email",
        "company_name",
        "location",
        "contact_name",
        "manufacturer",
        "model",
    }
)


def build_nlp(model: str | None) -> Language:
    """A blank English pipeline with a sentencizer, or an installed model when named."""
    if model:
        try:
            nlp = spacy.load(model, exclude=["ner", "lemmatizer", "textcat"])
        except OSError as exc:  # spaCy's E050: no such package or path
            raise ConfigError(f"spaCy model {model!r} is not installed (classifier.model)") from exc
        if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    nlp.add_pipe("vendor_mentions")  # bot.classifier.components
    return nlp


class RuleExtractor:
    """The :class:`~bot.classifier.types.Extractor` the bot uses: rules over a spaCy pipeline."""

    def __init__(self, nlp: Language, catalogue: Catalogue) -> None:
        self._nlp = nlp
        self._catalogue = catalogue
        self._products = ProductFinder(catalogue)
        self._versions = VersionFinder(catalogue)
        self._vendor_words = frozenset(
            w.lower() for v in catalogue.vendors for w in (v.name, *v.aliases, *v.families)
        )

    def _part(self, source: TextSource, text: str) -> Part:
        text = text[: usable_end(text)] if source != "subject" else text
        return Part(source=source, text=text, nlp=self._nlp)

    def _findings(
        self,
        part: Part,
        region_order: tuple[str, str],
        sender: Sender,
        wanted: frozenset[FieldKey] = _ALL,
    ) -> list[Finding]:
        """Candidate findings in one part, running only the extractors for ``wanted`` keys."""
        if not part.text.strip():
            return []
        labelled = labelled_values(part.text)
        spans = distractor_spans(part.text)
        found: list[Finding] = []
        if "contract_number" in wanted:
            found += contract_numbers(part, labelled, spans)
        if "serial_number" in wanted:
            found += serial_numbers(part, labelled, spans, self._catalogue)
        if "software_version" in wanted:
            found += self._versions.find(part, labelled, spans)
        if "contact_phone" in wanted:
            found += phone_numbers(part, labelled, spans, region_order)
        if "contact_email" in wanted:
            found += contact_emails(part, labelled)
        if "company_name" in wanted:
            found += company_names(part, labelled, self._vendor_words)
        if "location" in wanted:
            found += locations(part, labelled)
        if "contact_name" in wanted and part.source != "subject":
            found += contact_names(part, labelled, sender)
        if wanted & {"manufacturer", "model"} and part.source == "quoted":
            found += self._products.find([(part, labelled)])
        return found

    def _hand_over(
        self,
        chosen: dict[FieldKey, Finding],
        quoted: Part,
        sender: Sender,
        region_order: tuple[str, str],
    ) -> None:
        """When the sender hands the case to someone in the quoted mail, that is the contact."""
        name = chosen.get("contact_name")
        if name is None or name.evidence is None or name.evidence.source != "body":
            return
        if name.confidence < 0.9 or (sender.name and name.value in sender.name):
            return
        person = handed_over(quoted, name.value)
        if person is None:
            return
        chosen["contact_name"], chosen["contact_email"] = person
        spans = distractor_spans(quoted.text)
        phones = phone_numbers(quoted, labelled_values(quoted.text), spans, region_order)
        if phones:
            chosen["contact_phone"] = max(phones, key=lambda f: f.confidence)

    def extract(self, report: ReportText) -> Extraction:
        """Every field the report states, plus the assessed severity and fault type.

        Read inside a spaCy memory zone: the strings a report adds to the vocabulary (serials,
        addresses, names) are freed afterwards, so a long-running bot does not grow with every
        message. Findings hold plain strings and offsets, never spaCy objects.
        """
        with self._nlp.memory_zone():
            return self._extract(report)

    def _extract(self, report: ReportText) -> Extraction:
        subject = self._part("subject", report.subject)
        body = self._part("body", report.body)
        quoted = self._part("quoted", report.quoted)
        region_order = regions(" ".join((report.subject, report.body, report.sender.email or "")))
        sender = report.sender
        primary = self._findings(subject, region_order, sender)
        primary += self._findings(body, region_order, sender)
        primary += self._products.find(
            [(subject, labelled_values(subject.text)), (body, labelled_values(body.text))]
        )
        primary += [f for f in (sender_name(sender), sender_email(sender)) if f]
        chosen: dict[FieldKey, Finding] = {f.key: f for f in _best(primary)}
        missing = _ALL - chosen.keys()
        if missing:
            secondary = self._findings(quoted, region_order, Sender(), frozenset(missing))
            for finding in _best(_scaled(f, _QUOTED_FACTOR) for f in secondary):
                chosen.setdefault(finding.key, finding)
        self._hand_over(chosen, quoted, sender, region_order)
        live = _live_parts(subject, body, quoted)
        kind = classify_fault_type(live)
        located = chosen.get("location")
        if kind.value == "query" and located is not None and not located.explicit:
            # Offices named in a question ("deliver to our Durban office") are not the site of
            # a faulty unit; the desk records a location only for faults.
            del chosen["location"]
        chosen["fault_type"] = kind
        chosen["severity"] = assess_severity(live, kind.value)
        for optional in (
            stated_severity(live),
            fault_summary(body, subject),
            diagnosis_summary(body) or (diagnosis_summary(quoted) if quoted in live else None),
        ):
            if optional:
                chosen[optional.key] = optional
        if "fault_summary" not in chosen and report.quoted.strip() and not report.body.strip():
            summary = fault_summary(quoted, subject)
            if summary:
                chosen["fault_summary"] = summary
        return Extraction(findings=chosen)


_FORWARD = re.compile(r"\b(?:see below|below from|forwarded|fwd:|fw:)", re.IGNORECASE)


def _live_parts(subject: Part, body: Part, quoted: Part) -> list[Part]:
    """What severity and fault type read: subject and body, plus a forwarded report below."""
    parts = [p for p in (subject, body) if p.text.strip()]
    short = len(body.text.split()) < 60
    if quoted.text.strip() and (not parts or (short and _FORWARD.search(subject.text + body.text))):
        parts.append(quoted)
    return parts


def _scaled(finding: Finding, factor: float) -> Finding:
    return Finding(
        finding.key,
        finding.value,
        round(finding.confidence * factor, 3),
        finding.evidence,
        finding.explicit,
    )


def _best(findings: Iterable[Finding]) -> list[Finding]:
    """The highest-confidence finding per key (earliest evidence on ties)."""
    best: dict[FieldKey, Finding] = {}
    for finding in findings:
        current = best.get(finding.key)
        if current is None or finding.confidence > current.confidence:
            best[finding.key] = finding
    return sorted(best.values(), key=lambda f: -f.confidence)


@lru_cache(maxsize=4)
def load(model: str | None = None) -> RuleExtractor:
    """Compile the pipeline and catalogue once; the extractor is then reused for every report."""
    return RuleExtractor(build_nlp(model), load_catalogue())
