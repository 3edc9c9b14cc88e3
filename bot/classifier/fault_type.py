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
    r"(?<!\w)(?:psus?|power suppl(?:y|ies)|fans?|fan (?:tray|module)|no power|(?:won't|will not|"
    r"doesn't|does not|not|cannot|can't) (?:power|boot|turn) ?(?:on|up)?|not powering|"
    r"won't boot|boot device error|dead|died|rma|replacement (?:unit|device|part|switch|ap)|"
    r"faulty (?:unit|port|module|hardware|psu|fan)|hardware (?:fault|failure|issue|problem|"
    r"error|alert)|failed (?:unit|disk|drive|psu|fan|module|sfp|transceiver|port)|burnt|"
    r"burning smell|smoke|flash(?::)? (?:read )?(?:errors?|failure|corrupt\w*)|filesystem corrupt|"
    r"amber|red (?:light|led|status|alarm)|(?:status )?(?:leds?|lights?) (?:off|flashing|"
    r"blinking)|no (?:link )?lights?|no link(?: light)?|link not connected|beep\w*|overheat\w*|"
    r"(?:won't|doesn't|does not|no longer|not|never|can't|cannot) links? ?up|"
    r"damaged|water damage|lightning|(?<!broadcast )(?:thunder)?storm|"
    r"power (?:cut|failure|surge|blip\w*)|"
    r"load-?shedding|ssd|hard drive|disk failure|disk errors?|(?:ext\d-fs|file ?system) errors?|"
    r"bad (?:sectors|blocks)|i/o errors?|crc errors|physical(?:ly)?|went dark|dark|"
    r"lost poe|poe controller|(?:don't|doesn't|no longer) give poe|radio not operating|"
    r"poe (?:failed|failure)|reseat\w*|sfp\+? port|port \S+ (?:is )?(?:dead|died)|"
    r"sfp module|transceivers?|not recogni[sz]ed|boot ?loop|(?:re)?boots? in a loop|"
    r"swapped (?:it )?(?:with|for) (?:another|a spare|the one)|(?:so )?it'?s the (?:ap|unit|switch|"
    r"box|device|hardware|port)\b|grinding|noise|noisy)\b",
    _I,
)
# Physical symptoms described in lay words ("the little screen is blank", "fans not spinning",
# "hasn't come back since the power cut"): hardware however the rest of the report reads.
_PHYSICAL = re.compile(
    r"(?<!\w)(?:(?:red|amber|orange) (?:[\w-]+ )?(?:light|led)s?|(?:switch|unit|router|firewall|ap|"
    r"appliance|box|member|controller|module) (?:has |is |just |completely )?(?:failed|fried|"
    r"blown)|(?:lights?|leds?) on (?:the |it |its )?(?:[\w-]+ )?(?:is |are )?(?:all )?"
    r"(?:off|out|dark)|"
    r"(?:moved|swapped|replugged|re-?patched) (?:the |it |them |\w+ )?(?:\w+\s)?(?:to|onto|into)\s"
    r"(?:port|ether|ge-|gi|eth)?\s?\d+(?:[:/]\d+)*(?:,| and| -)? (?:and )?"
    r"(?:it'?s |it is |is |now )?(?:stable|fine|working|ok)|"
    r"(?:screen|display|lcd|panel) (?:on the front )?(?:of (?:the |our |it )?[\w-]+(?: [\w-]+)? )?"
    r"(?:is |was |shows |goes )?(?:just )?"
    r"(?:blank|dark|off)|(?:lights?|leds?) (?:on (?:the )?(?:front|ports?|it) )?(?:is |are )?"
    r"(?:all )?(?:off|out)|fans? (?:are |is )?(?:not "
    r"spinning|stopped|loud\w*)|no (?:lights?|leds?|fans?)|(?:system|unit) halted|"
    r"(?:hasn't|has not|didn't|did not|won't|not) (?:come|coming) back (?:up )?(?:since|after) "
    r"(?:the |a )?(?:power|storm|surge|ups|outage|load)|(?:after|since) (?:the |a |last "
    r"night's )?(?:power (?:cut|outage|failure|blip)|storm|surge|lightning|ups (?:tripped|"
    r"failure))|smell|physical damage|(?:send|ship|need) (?:us )?(?:a )?(?:new|replacement) "
    r"(?:one|unit|switch|ap|firewall|psu|fan)?)\b",
    _I,
)
# A change made just before the fault: upgrades and config changes break software.
_AFTER_CHANGE = re.compile(
    r"(?<!\w)(?:since|after) (?:the |we |our |an? |last night's |yesterday's |the weekend's |"
    r"(?:i|we) )?(?:\w+ )?(?:upgrade\w*|update\w*|chang\w+|migrat\w+|renew\w*|install\w*|"
    r"rolled|added|enabled|turned on|moved)\b",
    _I,
)
_SOFTWARE = re.compile(
    r"(?<!\w)(?:config\w*|firmware|upgrade\w*|update\w*|bug|licen[cs]\w*|vpn|ipsec|ssl ?vpn|"
    r"globalprotect|anyconnect|forticlient|netextender|authenticat\w*|ldap|radius|saml|mfa|2fa|"
    r"routing|bgp|ospf|polic(?:y|ies)|nat|dns|dhcp|certificate|crash\w*|memory leak|high cpu|"
    r"conserve mode|ha|ssid|web ?filter\w*|ips|portal|log ?in|login|tunnel|rules?|software|"
    r"error message|gui|session\w*|api|sso|ssl inspection|sd-wan|blocked|block page|category|"
    r"password|sync\w*|adopt\w*|provision\w*|vlan-filtering|hip|quarantine)\b",
    _I,
)
QUERY = re.compile(
    r"(?<!\w)(?:how (?:do|can|would|should|to) (?:i|we)?|can you (?:advise|tell|confirm|send|quote|"
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
    r"(?<!\w)(?:quot(?:e|ation) for|please quote|pricing|any eta|status of|checking on|"
    r"no fault|just want the commands|how (?:do|can) (?:i|we)|renewal quote|need a quote|"
    r"send (?:us |me )?a quote|what (?:does|do) [^?\n]{0,60} mean|what [^?\n]{0,60} means)\b",
    _I,
)
FAULT = re.compile(
    r"(?<!\w)(?:down|not working|doesn't work|does not work|stopped|failed|failing|failure|"
    r"error\w*|issue|problem|broken|drops?|dropping|dropped|disconnect\w*|outage|can't|cannot|"
    r"can not|"
    r"unable|won't|will not|offline|dead|crash\w*|keeps? rebooting|reboot(?:s|ed) itself|slow|"
    r"intermittent\w*|lost|unreachable|flapping|stuck|no longer|gone|sees nothing|alerts?|"
    r"alarms?|high cpu|cpu (?:over|above|at|spik\w+|pegged)|no internet|no phones|no wi-?fi|"
    r"no network|nothing is working|blocked|"
    r"capped|capping|timeout|times out|expired|warning|not arriving|never \w+ed|"
    r"(?:isn't|aren't|wasn't|didn't|doesn't|don't) (?:work|arriv|connect|switch|fail)\w*)\b",
    _I,
)
_NEGATED_FAULT = re.compile(
    r"(?<!\w)(?:nothing(?:'s| is) (?:broken|down|wrong)|no fault|no (?:problems?|issues?|faults?) "
    r"(?:at the moment|currently|right now|at present|yet|as such|for now|at all))\b",
    _I,
)
# A yes/no or "what" question about a possibility: its fault words are hypothetical ("is there
# a known issue with 7.2.5?", "will our MXs drop?") - unlike "why does the VPN keep dropping?".
_HYPOTHETICAL = re.compile(
    r"(?:^|(?<=[.!?\n]))[ \t]*(?:(?:hi|hello|quick question)[,:!]?\s+)?(?:is there|are there|"
    r"will|would|is it|are we|any known|what|which|do (?:we|i) need)\b"
    r"(?:[^.!?\n]|\.(?=\w)){0,160}\?",
    _I,
)
_QUESTION = re.compile(r"\?(?:\s|$)")


def _fault_count(parts: Sequence[Part]) -> int:
    """Fault words, less those inside a hypothetical question."""
    total = 0
    for part in parts:
        asked = [m.span() for m in _HYPOTHETICAL.finditer(part.lower)]
        total += sum(
            1 for m in FAULT.finditer(part.lower) if not any(s <= m.start() < e for s, e in asked)
        )
    return total


def _count(parts: Sequence[Part], pattern: re.Pattern[str]) -> int:
    return sum(len(pattern.findall(p.lower)) for p in parts)


def _first(parts: Sequence[Part], pattern: re.Pattern[str]) -> tuple[Part, re.Match[str]] | None:
    for part in parts:
        match = pattern.search(part.lower)
        if match:
            return part, match
    return None


def _label(parts: Sequence[Part]) -> tuple[str, tuple[re.Pattern[str], ...], float]:
    """The type, the patterns whose first hit is its evidence, and a confidence.

    Counts are taken only when the decision needs them: extraction speed is a budget
    (bench/extract_speed.py) and most reports are settled by the fault and hardware counts.
    """
    hardware = _count(parts, HARDWARE) + 2 * _count(parts, _PHYSICAL)
    fault = _fault_count(parts) - 2 * _count(parts, _NEGATED_FAULT)
    if hardware < 3 and fault <= 1 and _count(parts, _STRONG_QUERY):
        return "query", (_STRONG_QUERY,), 0.8
    if fault <= 0 and (_count(parts, QUERY) or _count(parts, _QUESTION)):
        return "query", (QUERY, _QUESTION), 0.75
    if hardware:
        software = _count(parts, _SOFTWARE) + 2 * _count(parts, _AFTER_CHANGE)
        if hardware * 2 >= software:
            return "hardware", (HARDWARE, _PHYSICAL), 0.7
    return "software", (_SOFTWARE, _AFTER_CHANGE), 0.65


def classify_fault_type(parts: Sequence[Part]) -> Finding:
    """One ``fault_type`` finding; evidence is the first cue of the winning type."""
    label, patterns, confidence = _label(parts)
    hit = next((h for p in patterns if (h := _first(parts, p))), None)
    if hit is None:  # software by default: nothing in the text said so
        return Finding("fault_type", label, 0.4, None)
    part, match = hit
    return part.finding("fault_type", label, confidence, *match.span())
