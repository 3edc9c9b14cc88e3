"""Fault type: hardware, software or query, from the words customers use for each.

Hardware means a part failed (PSU, fan, port, no power, won't boot, RMA); software is everything
that runs on working hardware (config, firmware, licences, VPN, routing, auth); a query asks for
something without reporting a fault. Software is the default: most faults on this desk are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.classifier.parts import Part
from bot.classifier.types import Finding

_I = 0  # patterns are lower-case and run on Part.lower
HARDWARE = re.compile(
    r"\b(?:psus?|power suppl(?:y|ies)|fans?|fan (?:tray|module)|no power|(?:won't|will not|"
    r"doesn't|does not|not|cannot|can't) (?:power|boot|turn) ?(?:on|up)?|not powering|"
    r"won't boot|boot device error|dead|died|rma|replacement (?:unit|device|part|switch|ap)|"
    r"faulty (?:unit|port|module|hardware|psu|fan)|hardware (?:fault|failure|issue|problem|"
    r"error|alert)|failed (?:unit|disk|drive|psu|fan|module|sfp|transceiver|port)|burnt|"
    r"burning smell|smoke|flash(?::)? (?:read )?(?:errors?|failure|corrupt\w*)|filesystem corrupt|"
    r"amber|red (?:light|led|status|alarm)|(?:status )?(?:leds?|lights?) (?:off|flashing|"
    r"blinking)|no (?:link )?lights?|no link(?: light)?|link not connected|beep\w*|overheat\w*|"
    r"damaged|water damage|lightning|(?<!broadcast )(?:thunder)?storm|"
    r"power (?:cut|failure|surge|blip\w*)|"
    r"load-?shedding|ssd|hard drive|disk failure|crc errors|physical(?:ly)?|went dark|dark|"
    r"lost poe|poe controller|(?:don't|doesn't|no longer) give poe|radio not operating|"
    r"poe (?:failed|failure)|reseat\w*|sfp\+? port|port \S+ (?:is )?(?:dead|died)|"
    r"sfp module|transceivers?|not recogni[sz]ed|boot ?loop|(?:re)?boots? in a loop|"
    r"swapped (?:it )?(?:with|for) (?:another|a spare|the one)|(?:so )?it'?s the (?:ap|unit|switch|"
    r"box|device|hardware|port)\b|grinding|noise|noisy)\b",
    _I,
)
_SOFTWARE = re.compile(
    r"\b(?:config\w*|firmware|upgrade\w*|update\w*|bug|licen[cs]\w*|vpn|ipsec|ssl ?vpn|"
    r"globalprotect|anyconnect|forticlient|netextender|authenticat\w*|ldap|radius|saml|mfa|2fa|"
    r"routing|bgp|ospf|polic(?:y|ies)|nat|dns|dhcp|certificate|crash\w*|memory leak|high cpu|"
    r"conserve mode|ha|ssid|web ?filter\w*|ips|portal|log ?in|login|tunnel|rules?|software|"
    r"error message|gui|session\w*|api|sso|ssl inspection|sd-wan|blocked|block page|category|"
    r"password|sync\w*|adopt\w*|provision\w*|vlan-filtering|hip|quarantine)\b",
    _I,
)
QUERY = re.compile(
    r"\b(?:how (?:do|can|would|should|to) (?:i|we)?|can you (?:advise|tell|confirm|send|quote|"
    r"help us (?:understand|plan))|could you (?:advise|tell|confirm|send|quote|let)|"
    r"quot(?:e|ation)|pricing|price|renewal|renew|is it possible|question|enquiry|inquiry|"
    r"advice|advise|wondering|would like to (?:know|ask|find out|understand)|best practice|"
    r"recommend\w*|end[- ]of[- ](?:life|support|sale)|eol|roadmap|compatib\w*|supported|"
    r"what is the|which (?:version|port|one)|do you (?:offer|support|have)|documentation|"
    r"training|planning|plan to|simple steps|instructions|any eta|status of|checking on)\b",
    _I,
)
# A request that is a query even when fault words appear ("quote to replace the dead one").
_STRONG_QUERY = re.compile(
    r"\b(?:quot(?:e|ation) for|please quote|pricing|any eta|status of|checking on|"
    r"no fault|just want the commands|how (?:do|can) (?:i|we)|renewal quote|need a quote|"
    r"send (?:us |me )?a quote)\b",
    _I,
)
FAULT = re.compile(
    r"\b(?:down|not working|doesn't work|does not work|stopped|failed|failing|failure|"
    r"error\w*|issue|problem|broken|drops?|dropping|disconnect\w*|outage|can't|cannot|can not|"
    r"unable|won't|will not|offline|dead|crash\w*|keeps? rebooting|reboot(?:s|ed) itself|slow|"
    r"intermittent\w*|lost|unreachable|flapping|stuck|no longer|gone|sees nothing|alerts?|"
    r"alarms?|high cpu|no internet|no phones|no wi-?fi|no network|nothing is working|blocked|"
    r"capped|capping|timeout|times out|expired|warning|not arriving|never \w+ed|"
    r"(?:isn't|aren't|wasn't|didn't|doesn't|don't) (?:work|arriv|connect|switch|fail)\w*)\b",
    _I,
)
_NEGATED_FAULT = re.compile(r"\b(?:nothing(?:'s| is) (?:broken|down|wrong)|no fault)\b", _I)
_QUESTION = re.compile(r"\?(?:\s|$)")


def _count(parts: Sequence[Part], pattern: re.Pattern[str]) -> int:
    return sum(len(pattern.findall(p.lower)) for p in parts)


def _first(parts: Sequence[Part], pattern: re.Pattern[str]) -> tuple[Part, re.Match[str]] | None:
    for part in parts:
        match = pattern.search(part.lower)
        if match:
            return part, match
    return None


def _label(parts: Sequence[Part]) -> tuple[str, re.Pattern[str], float]:
    hardware = _count(parts, HARDWARE)
    software = _count(parts, _SOFTWARE)
    fault = _count(parts, FAULT) - 2 * _count(parts, _NEGATED_FAULT)
    query = _count(parts, QUERY) + _count(parts, _QUESTION)
    if _count(parts, _STRONG_QUERY) and hardware < 3 and fault <= 1:
        return "query", _STRONG_QUERY, 0.8
    if query and fault <= 0:
        return "query", QUERY, 0.75
    if hardware and hardware * 2 >= software:
        return "hardware", HARDWARE, 0.7
    return "software", _SOFTWARE, 0.65 if software else 0.4


def classify_fault_type(parts: Sequence[Part]) -> Finding:
    """One ``fault_type`` finding; evidence is the first cue of the winning type."""
    label, pattern, confidence = _label(parts)
    hit = _first(parts, pattern)
    if hit is None:
        return Finding("fault_type", label, confidence, None)
    part, match = hit
    return part.finding("fault_type", label, confidence, *match.span())
