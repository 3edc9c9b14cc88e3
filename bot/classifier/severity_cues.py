"""The phrases that tell the desk how bad a fault is, grouped by what they say about impact.

Kept apart from the decision logic in :mod:`bot.classifier.severity` so the phrase lists can grow
with what customers write without touching the rules that weigh them.
"""

from __future__ import annotations

import re
from typing import Final

_FLAGS = 0  # lower-case patterns, matched against Part.lower


def _rx(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(phrases) + r")(?!\w)", _FLAGS)


_WHOLE_AREA = (
    r"office|site|building|campus|company|school|branch|hq|head office|network|business|"
    r"practice|surgery|clinic|hospital|store|shop|warehouse|factory|plant|depot|firm|college|"
    r"organisation|organization|estate|hotel|restaurant|pub|property|premises"
)
_SMALL_AREA = r"floor|wing|department|dept|team|area|room|block|section|building \d|vlan|level"

# The whole site, the firewall or core, or every user is down.
SITE_DOWN: Final = _rx(
    rf"(?:whole|entire|all (?:of )?(?:the|our)?)\s*(?:{_WHOLE_AREA})\b[^.\n]{{0,50}}?\b(?:down|"
    r"offline|dead|no (?:internet|internt|network|wi-?fi|connectivity|access)|lost|has no|"
    r"cannot|can't|unable|without|basically|stopped|at a standstill)",
    # "our office is down", "Branch is down." - not "the AP in the warehouse is dead" or "the VPN
    # to the branch is down", where the place only says where the broken thing is.
    rf"(?:(?<!in )(?<!at )(?<!to )(?<!of )(?<!from )\b(?:the|our|whole|entire)\s+(?:[a-z]+\s+)?"
    rf"|^|[.!?]\s+)(?:{_WHOLE_AREA})\s+(?:is |are |has |went |has gone )?"
    r"(?:completely |totally |fully )?(?:down|offline|dead|dark)",
    r"(?:down|offline|no (?:internet|network|wi-?fi|connectivity)|lost (?:the )?(?:network|"
    rf"internet))\s+(?:for|at|in|across) (?:the )?(?:whole|entire|all)\b"
    rf"(?!\s+(?:[a-z]+\s+)?(?:{_SMALL_AREA}))(?!\s+(?:remote|home|guest|mac|vpn|wireless|"
    r"wi-?fi|windows|ios|android)\b)",
    r"(?:no|lost) (?:internet|internt|network|wi-?fi|connectivity)\b[^.\n]{0,25}\b(?:(?:whole|"
    rf"entire)(?!\s+(?:[a-z]+\s+)?(?:{_SMALL_AREA}))|anywhere|for everyone|for all)",
    r"(?:nothing|no one|nobody|none of (?:the|our) (?:users|staff))\s+(?:at \w+ |in the office )?"
    r"(?:can|is able to)\s+(?:reach|get|access|connect|work|browse)",
    r"all (?:~|about |around |approx\.? )?\d*\s*(?:users|staff|sites|branches|services|aps|"
    r"access points|systems)\b[^.\n]{0,30}?\b(?:down|offline|affected|cannot|can't|unable|lost)",
    r"all (?:the )?(?:wi-?fi|internet|services)\b[^.\n]{0,20}\b(?:down|off|offline)",
    r"all (?:hosted |our )?services (?:are )?down",
    r"(?:staff|everyone|people) (?:have been |were |"
    r"are being )?sent home",
    r"can(?:no|')t trade",
    r"(?:total|complete|major|full) outage",
    r"(?:internet|network|firewall|core(?: switch)?|everything) (?:is |went |has gone )?"
    r"(?:completely |totally )?(?:down|dead)",
    r"production (?:is )?down",
    r"inoperable",
    r"dataplane (?:is )?down",
    r"site is (?:basically )?(?:down|dead|offline)",
    r"no internet at (?:hq|head office|the office|all)",
    r"whole site",
    rf"no (?:internet|network|connectivity|wi-?fi) (?:at|in|for) (?:our|the) (?:[a-z]+ )?"
    rf"(?:{_WHOLE_AREA})\b",
    rf"(?:the|our) (?:[a-z]+ )?(?:{_WHOLE_AREA}) (?:has|have) no (?:internet|network|"
    r"connectivity|wi-?fi)",
    r"nothing works",
    r"nothing(?:'s| is) working",
    r"tills? (?:are |is )?(?:all )?(?:down|offline)",
    r"can(?:no|')t take (?:card )?payments",
    r"(?:pos|point of sale) (?:is |are )?down",
    rf"across the (?:whole|entire) (?:{_WHOLE_AREA}|campus)\b",
    r"(?:staff|everyone|people) (?:are |is )?(?:sitting )?idle",
    r"(?:nobody|no one|no-one) can work",
)
# Service degraded, or a small part of the network down.
PARTIAL: Final = _rx(
    rf"(?:whole|entire|all of the)\s+(?:\w+\s+)?(?:{_SMALL_AREA})\b",
    r"slow\w*|crawl\w*|choppy|sluggish|buffering|drops?|dropping|latency|lag\w*",
    r"(?:don't|doesn't|do not|does not) (?:give|get|pass|provide) \w+ any ?more",
    r"(?:are|is) (?:all )?off",
    r"(?:are|is|have) (?:all )?gone|sees? nothing",
    r"none of (?:the|our) (?:\d+ )?(?:[a-z]+ )?(?:users|staff|people|agents|devices|aps|cameras|"
    r"phones|stores|sites|pcs)",
    r"(?:no|not) (?:inbound |incoming |outbound |external )?(?:e-?mail|mail)s?(?: is| are)? "
    r"(?:arriving|coming in|being delivered|going out)|not arriving",
    r"half (?:of )?(?:the|our)?",
    r"\d+ of (?:our )?\d+",
    r"(?:some|several|a few|many|most) "
    r"(?:of (?:the|our) )?(?:users|staff|people|sites|aps|access points|devices|hosts|ports|"
    r"phones|calls|pcs|machines|stores)",
    r"(?:about|around|roughly|approx\.?|~) ?\d+ "
    r"(?:users|staff|people|agents|desks|guests|rooms)",
    r"\d+ (?:users|staff|people|agents|desks)",
    r"(?:branch|site)\s+(?:cannot|can't|is unable)",
    r"(?:tunnel|vpn)\b[^.\n]{0,40}\bdown",
    r"unreachable",
    r"cannot reach|can't reach",
    r"intermittent\w*",
    r"degrad\w*",
    r"packet loss",
    r"(?:keeps?|kept) (?:dropping|"
    r"disconnecting|rebooting|reloading|crashing|restarting)",
    r"reload(?:ed|s|ing) itself",
    r"restart(?:ing)? loop",
    r"boot ?loop",
    r"no (?:wi-?fi|internet|network|service|dhcp)",
    r"struggling",
    r"(?:has |have )?stopped working",
    r"no longer (?:works|working)",
)
# Not service affecting: redundancy lost, alarms, nothing actually down.
NOT_AFFECTING: Final = _rx(
    r"no (?:outage|impact|service impact|user impact|business impact)",
    r"nothing(?:'s| is) (?:actually )?(?:down|broken|affected)",
    r"nobody is (?:down|affected)",
    r"no-?one is affected",
    r"(?:still|is) passing traffic",
    r"(?:switch|unit|firewall|gateway|it) is still up",
    r"everything (?:still )?works(?: fine)?(?! otherwise)",
    r"everything is (?:still )?working",
    r"traffic (?:is )?(?:unaffected|fine|not affected)",
    r"not service[- ]affecting",
    r"(?:users|staff|nobody) (?:haven't|have not|hasn't) noticed",
    r"in normal running everything is fine",
    r"no redundancy",
    r"within limits",
    r"(?:is|are) active and everything works",
    r"cosmetic",
    r"not a big deal",
    r"(?:it's|is) actually working",
    r"(?:it's|is) (?:just|only) (?:the )?(?:management|monitoring|logging|reporting|the cloud|"
    r"cloud management)",
    r"not affecting (?:traffic|users|service|anyone)",
    r"no (?:users|one|staff) (?:are |is )?affected",
    r"(?:internet|network|traffic|everything) (?:still )?works (?:for everyone|fine|normally)",
    r"when (?:we )?test(?:ed|ing)(?: it)?|(?:during|in) (?:a|the|our) (?:failover |dr )?test",
    r"redundant (?:psu|power supply|fan|link|unit|member)",
    r"running on the (?:second|other|remaining|backup|spare) (?:psu|power supply|supply|fan|unit)",
    r"(?:psu|power supply) ?\d? (?:is )?carrying the load",
    r"(?:nobody|no one|no-one) (?:really )?uses",
)
# "The rest is fine": not service affecting only when nothing else says a part is down.
ELSE_FINE: Final = _rx(
    r"(?:everything|everyone) else(?: in the \w+)? (?:works|is fine|is working|is ok|can)",
    r"(?:otherwise|else) (?:fine|ok|working)",
    r"(?:network|internet|firewalls?) (?:is |are )?(?:still )?(?:fine|ok|working)",
    r"works for everyone",
    r"(?:trading|service) (?:is )?not affected",
    r"(?:work|working) fine for trading",
    r"unaffected",
    r"internet fine",
    r"working normally",
    r"still (?:up|running|working)(?! (?:but|until))",
)
# Individual users or a single device.
INDIVIDUAL: Final = _rx(
    r"the (?:pc|laptop|user|printer|phone|workstation) on (?:it|that port|port \S+)",
    r"(?:one|a single|single|an individual|1) (?:of (?:our|the) )?(?:user|staff member|member "
    r"of staff|person|laptop|pc|machine|workstation|desktop|rep|agent|device|printer|phone)",
    r"only (?:that |this )?(?:one|1) (?:machine|user|pc|person|device)",
    r"\w+'s (?:pc|laptop|"
    r"desktop|phone|machine)",
    r"(?:my|his|her) (?:laptop|pc|desktop|machine)(?! and)",
    r"only (?:she|he|i) (?:needs?|uses?|use)",
    r"one of our (?:reps|users|staff|agents)",
    r"only (?:the )?(?:printer|one machine|one pc)",
    r"(?:pc|user|machine|laptop) only",
    r"only (?:\d|two|three|four|five)(?:-\d)? people",
    r"(?:reception|payroll|accounts) pc",
    r"one (?:cad |staff |office )?(?:workstation|pc)",
    r"every(?:one| one) else[^.\n]{0,30}fine",
    r"other (?:\d+ )?(?:users|remote users|admins) (?:are |can )?(?:ok|fine|connect|log)",
    r"(?:[1-5]|two|three|four|five|a couple of|couple of|a few)\s+(?:of (?:our|the) )?"
    r"(?:[a-z]+\s+){0,2}?(?:users|people|staff|admins|pcs|laptops|machines|reps|agents|"
    r"paralegals|macs|clients)",
    r"(?:[1-5]|two|three|four|five|a couple|a few) of (?:our|the) (?:[a-z]+\s+){0,2}?"
    r"(?:cameras|printers|phones|devices)",
    r"only (?:the |one |a )?(?:[a-z]+ )?(?:printer|pc|machine|user|laptop|phone|device)",
    r"\(?maybe [1-5]\)?",
    r"(?:it's )?just me",
    r"only me",
    r"the rest of us can",
    r"one of our (?:\w+ )?(?:admins|reps|users|staff|agents|engineers)",
    r"(?:payroll|finance|accounts) clerk",
    r"the only (?:class|room|one)",
)
WORKAROUND: Final = _rx(
    r"(?<!no )(?<!without a )(?<!without any )work[- ]?around",
    r"stop-?gap",
    r"moved (?:the |her |him |it |them |\w+ )?(?:\w+ )?(?:to|onto) (?:(?:port|ether|sfp|ge-|xe-|"
    r"et-|eth|gi|te)\S*|the spare\w*|a spare\w*|another \w+|a different \w+|\d\S*)",
    r"re-?pointed",
    r"re-?routed",
    r"(?:temporarily|for now|in the meantime|meanwhile|for today)(?!\s+(?:but|though))",
    r"running on (?:the )?(?:lte|4g|backup|secondary)",
    r"(?:can|could) (?:phone|work from|plug "
    r"in|come to|use)",
    r"working through that",
    r"(?:are|is) using (?:that|those|it)",
    r"offering them",
    r"bypass\w*",
    r"(?:4g|lte|mobile|phone) hotspots?",
    r"tether(?:ed|ing)",
    r"roaming onto",
)
