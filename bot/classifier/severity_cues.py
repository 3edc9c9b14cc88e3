"""Word classes behind the desk's priority definitions: how much of the network a report says is
affected (scope), in what state (down, degraded, working), and what softens it (redundancy,
management-only faults, a recovery, a workaround).

Each class is a small vocabulary, not a list of sentences seen in past reports: the severity
rules combine them per sentence (:mod:`bot.classifier.severity_features`), so "the whole depot
lost its connection" and "nobody at head office can get online" need no phrase of their own.
All patterns are lower-case; they run on ``Part.lower``.
"""

from __future__ import annotations

import re
from typing import Final


def _rx(*alternatives: str) -> re.Pattern[str]:
    # Not inside a dotted identifier ("vlan.msgs.portLinkStateDown" in a pasted log).
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-]|\.\w)")


# Places that are a whole site when the customer says the place itself is affected.
PLACE = (
    r"office|site|building|campus|company|school|branch|hq|head ?office|business|practice|"
    r"surgery|clinic|hospital|store|shop|warehouse|factory|plant|depot|firm|college|"
    r"organi[sz]ation|estate|hotel|premises|dealership|terminal|centre|center|yard|farm|"
    r"restaurant|showroom|plaza|branches|sites|stores|offices"
)
_WHOLE = r"whole|entire|all (?:of )?(?:the |our )?|every|across (?:the|our) (?:whole |entire )?"
_PEOPLE = (
    r"users|staff|people|employees|agents|workers|colleagues|pcs|computers|machines|laptops|"
    r"devices|desks|clients|phones|tills|terminals|kiosks|scanners|handsets|aps|access points|"
    r"services|systems|"
    r"servers|hosts|vms"
)

# Scope: a whole site, the network as a whole, or everything on it.
SCOPE_SITE: Final = _rx(
    rf"(?:{_WHOLE})\s*(?:[\w'-]+\s+)?(?:{PLACE}|network|lan)",
    r"everything(?! else)|anywhere|(?:total|complete|major|full) (?:outage|shutdown)",
    r"nothing (?:at all )?(?:is |'s )?(?:working|works)(?! (?:on|for|from|in|with|except|but))",
    r"(?:staff|everyone|people) (?:have been |were |are being )?sent home",
    r"(?:every|each|all(?: of)?(?: the| our)?) (?:floor|level|wing|department|vlan|ssid)s?",
)
# The place itself said to be down: "our office is down", "Branch has no internet" - not "the
# VPN to the branch is down", where the place only says where the broken thing goes.
PLACE_DOWN: Final = _rx(
    # "our office", "the branch" - or a place's own name starting a sentence ("Chester branch")
    r"(?:(?<!to )(?<!from )(?<!and )(?<!in )(?<!at )(?<!of )\b(?:the|our) (?:[\w'-]+ )?|"
    r"^(?:[\w'-]+ )?|(?<=[.!?,:;] )(?:[\w'-]+ )?|(?<=\n)(?:[\w'-]+ )?)"
    rf"(?:{PLACE}) (?:is |are |has |have |went |has gone |has been )?"
    r"(?:completely |totally |fully )?(?:down|offline|dead|dark|without \w+|no (?:internet|"
    r"network|wi-?fi|connectivity)|lost (?:the |its |all )?(?:internet|network|connectivity|"
    r"connection))",
)
# Scope: every person or device at a site.
SCOPE_EVERYONE: Final = _rx(
    r"every(?:one|body)(?! else)|(?:no ?one|no-one|nobody)(?! else)|none of (?:the|our)",
    rf"all (?:of )?(?:the |our )?(?:~|about |around )?(?:\d+\+? )?(?:\w+ )?(?:{_PEOPLE})",
    r"(?:any|every|each) (?:\w+ )?(?:computer|pc|device|machine|user|phone|laptop|access point|ap|"
    r"scanner|till|terminal|handset|camera|person|member of staff)",
    rf"(?:at|in|for|across) (?:the|our) (?:[\w'-]+ ){{0,2}}(?:{PLACE})",
    r"(?:at|in|for) (?:hq|head office)",
    r"(?<!some )(?<!few )(?<!several )(?<!many )(?<!remote )(?<!other )(?<!of the )(?<!of our )"
    r"(?<!vpn )(?<!guest )(?<!mac )(?<!\d )(?:our |the )?(?:staff|users|employees|people)"
    r"(?= (?:cannot|can't|can not|are unable|have no|have lost|lost|are without|are all))",
)
# Scope: a part of a site - a floor, wing, department, some of the users.
# "The rest of the team", "other floors": who is fine, not who is affected.
_NOT_REST = r"(?<!rest of the )(?<!rest of our )(?<!other )(?<!the others in the )"
SCOPE_PART: Final = _rx(
    r"(?<!every )(?<!each )(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|ground|top|upper|lower) "
    r"floor",
    rf"{_NOT_REST}(?<!every )(?<!each )(?<!all )(?<!all the )(?<!all our )"
    r"(?:floors?|wing|department|dept|team|block \w|building \d|level \d|section|"
    r"area|ward|(?:meeting|board|class|training|conference|staff) ?room|theatre|vlan|ssid|"
    r"mezzanine|upstairs|downstairs|half|part of|rack \w)",
    rf"(?:some|several|many|most|a number) (?:of (?:the|our) )?(?:\w+ )?(?:{_PEOPLE})",
    rf"(?:[7-9]|[1-9]\d+) of (?:the |our )?(?:\d+|(?:\w+ )?(?:{_PEOPLE}))",
    r"remote (?:users|workers|staff)|home workers|guests?",
    rf"(?:{_PEOPLE}|everyone|everybody|nobody|no one) (?:\w+ )?(?:in|for|from) (?:the )?(?:finance|"
    r"accounts|sales|hr|marketing|payroll|reception|dispatch|legal|customer services|support)"
    r"(?! (?:portal|system|server|app|software|account|tool))",
)
# Scope: a number of people - more than a few; fewer than everyone unless the site is named
# with it ("the whole head office (about 250 staff)").
SCOPE_COUNT: Final = _rx(
    rf"(?<!all )(?<!all the )(?<!all of the )(?<!all our )(?:about |around |some |over |~)?"
    rf"(?:[7-9]|[1-9]\d+)\+? (?:of (?:the |our )?)?(?:\w+ )?(?:{_PEOPLE})",
)
# Scope: a place named as where the fault is ("the branch can't reach the ERP"): a small area
# unless the place itself is down (PLACE_DOWN) or everyone there has lost the service.
SCOPE_NAMED: Final = _rx(rf"(?:{PLACE})")
# Scope: one person, a few people, a single device.
SCOPE_ONE: Final = _rx(
    r"(?<!not )(?:one|a single|single|an individual|1) (?:of (?:our|the) )?(?:\w+ )?"
    r"(?:user|person|member|laptop|pc|machine|workstation|desktop|device|phone|printer|"
    r"client|admin|surveyor|engineer|rep|agent|customer|ap|access point|camera|till|scanner)s?",
    # "all six of our remote staff" is a whole group, not a few people
    rf"(?<!all\s)[2-6] of (?:the |our )?(?:\w+ )?(?:{_PEOPLE})",
    # "two of us", "two of our accountants" - people, not "two of our links" or "branches"
    r"(?<!all\s)(?:two|three|four|five|six|a couple|a few|[2-6]) of (?:us\b|(?:our|the) (?:\w+ )?"
    r"(?:accountants|designers|engineers|nurses|doctors|teachers|managers|directors|partners|"
    r"lawyers|solicitors|developers|drivers|cashiers|consultants|receptionists|technicians|"
    r"agents|reps|admins)\b)",
    r"(?<!all\s)(?:two|three|four|five|six|a couple(?: of)?|a few|[2-6](?:-[2-6])?) "
    r"(?:of (?:our|the) )?(?:\w+ )?"
    r"(?:users|people|staff|pcs|laptops|machines|admins|reps|agents|macs|paralegals|cameras|"
    r"printers)",
    r"(?:pc|user|machine|laptop|device|person) only",
    r"only (?:(?:had|has|have|affects|affected|hits|serves|connects) )?(?:the|one|a|that|this) "
    r"(?:[\w-]+ )?(?:printer|pc|user|phone|laptop|device|machine|"
    r"camera|person|workstation)(?!s)",
    r"(?:it's )?just (?:me|my|him|her)|only (?:me|my|she|he|her|his|i|this|that)",
    # whose device is affected - not the one the customer writes from or wants a call on
    # ("sent from my iPhone", "call me on my mobile")
    r"(?<!from )(?<!on )(?<!via )(?<!using )(?<!call )(?<!ring )(?:my|his|her) (?:own )?"
    r"(?:laptop|pc|desktop|machine|phone|mac)",
    r"(?:my|a) (?:colleague|co-?worker)(?!s)",
    r"(?:our|the|a) (?:\w+ )?(?:ceo|cfo|md|receptionist|accountant|bookkeeper|buyer|secretary|"
    r"director|clerk|manager|cashier)(?!s)",
    r"\w+'s (?:pc|laptop|desktop|phone|machine|mac)",
)
# Scope said outright as the whole of who is affected, anywhere in a report: "only the printer
# was on it", "it's just me", "one staff PC on it". Narrower than SCOPE_ONE on purpose: a role
# or a device named in passing ("I'm the practice manager", "sent from my iPhone") says who
# writes, not who is affected, and an outage report is often written from a phone.
SCOPE_ONLY: Final = _rx(
    r"only (?:(?:had|has|have|affects|affected|hits|serves|connects) )?(?:the|one|a|that|this) "
    r"(?:[\w-]+ )?(?:printer|pc|user|phone|laptop|device|machine|camera|person|workstation|ap|"
    r"till|scanner)(?!s)",
    r"(?:it's )?just (?:me|him|her)\b|only (?:me|she|he|her|him|i)\b",
    r"(?:pc|user|machine|laptop|device|person) only",
    r"(?:one|a single|single|1) (?:[\w-]+ )?(?:pc|laptop|printer|phone|device|machine|camera|till|"
    r"scanner|desktop|workstation|user|person) (?:was |is )?(?:on|using|plugged into|connected to) "
    r"(?:it|that port|the port)\b",
    r"only (?:[2-6]|two|three|four|five|six|a few|a couple of) (?:[\w-]+ )?(?:people|users|staff|"
    r"pcs|laptops|devices|phones)",
    r"(?:only|just) (?:[\w-]+ ){0,3}(?:is |are |was |were )?affected",
)
# State: the service itself is gone - nobody can work (the desk's "inoperable").
OUTAGE: Final = _rx(
    r"no (?:usable |working )?(?:internet|internt|network|connectivity|wi-?fi|phones|e-?mail|"
    r"access|service|dial tone|connection)",
    r"(?:lost|lose|losing|without) (?:the |its |all |their )?(?:network|internet|connectivity|"
    r"connection|wan|wi-?fi|phones)",
    r"(?:can't|cannot|can not|unable to|couldn't) (?:\w+ )?(?:reach|access|get to|get on|get "
    r"online|browse|connect to) (?:anything|the internet|internet|online|the network|any)",
    r"(?:can't|cannot|can not|unable to) (?:work|trade|take (?:card )?payments)",
    r"nothing(?: (?!but\b)[\w-]+){0,4}? (?:works?|is working|is reachable|goes (?:out|through))",
    r"(?:nobody|no one|none of)(?: (?!but\b)[\w-]+){0,5}? (?:can (?:work|get online|browse|"
    r"get on|get out|reach anything|access anything)|has (?:internet|network|wi-?fi))",
    r"(?:internet|network|everything|wi-?fi|connectivity|lan|wan) (?:is |went |has gone |are )?"
    r"(?:completely |totally |fully )?(?:down|dead|offline)",
    r"(?:staff|everyone|people|users|workers) (?:are |is )?(?:all )?(?:sitting )?idle",
    r"(?:total |complete |full )?loss of (?:all )?(?:service|connectivity|network|internet)",
    r"inoperable|standstill|outage|(?:staff|everyone|people) (?:\w+ ){0,2}sent home",
    rf"(?:{_PEOPLE}|everyone|everybody) (?:are |is )?(?:all )?(?:down|offline)",
)
# State: something does not work (a device, a feature, a link).
DOWN: Final = _rx(
    r"down|offline|dead|dark|inoperable|halted|stopped|unusable|unreachable|gone|never|stuck",
    r"fail(?:s|ed|ing)?(?! ?over)|(?:dropped|fell|falls|drops) off",
    r"169\.254\S*|apipa|self-assigned (?:ip|address)",
    r"(?:is|are) (?:all )?off",
    r"no (?:\w+ )?(?:internet|internt|network|connectivity|connection|wi-?fi|access|service|"
    r"phones?|e-?mail|dial tone|wan|power|link|dhcp|ip)",
    r"(?:can't|cannot|can not|unable to|couldn't|could not|can no longer) (?:\w+ )?(?:reach|"
    r"access|connect|get|browse|work|trade|open|print|log|see|use|call|sync|take|scan|remote|"
    r"fix|control|manage|support|send|receive)",
    r"lost (?:the |its |all |their )?(?:network|internet|connectivity|connection|wan|wi-?fi|poe)",
    r"(?:lost|losing|no longer have|no longer has) (?:\w+ )?access",
    r"(?:not|isn't|aren't|won't|doesn't|don't|never) (?:working|work|coming up|come up|comes up|"
    r"boot|connect|start|get|reach|arriving|powering)",
    r"(?:won't|will not|fails? to|failed to|failing to) (?:boot|start|come up|connect)",
    r"(?:hasn't|has not|haven't|didn't|did not|won't|not) (?:come|came|coming) back",
    r"(?:nothing|nobody|no one|none of)(?: (?!but\b)[\w-]+){0,5}? (?:can|gets?|works?|is able)",
    r"boot ?loop(?:ing)?|reload(?:ing|s)? every|restart(?:s|ing)? (?:itself )?every",
)
# State: working, but badly.
DEGRADED: Final = _rx(
    r"slow\w*|crawl\w*|sluggish|choppy|stutter\w*|freez\w*|buffering|lag\w*|latency|jitter",
    r"intermittent\w*|drops?|dropping|dropped|flap\w*|in and out|packet loss|degrad\w*",
    r"struggling|capped|one-way audio|disconnect\w*|kicked off",
    r"(?:it |this |which )?(?:affect|impact)(?:s|ed|ing)",
    r"keeps? (?:\w+ing)|every (?:few |\d+[-–]?\d* )?(?:min\w*|hours?|seconds?)|"
    r"(?:\d+|two|three|four|several|few) times",
)
# State: working, no service impact.
WORKING: Final = _rx(
    r"no (?:outage|impact|service impact|user impact|business impact|complaints)",
    r"nothing (?:is |'s )?(?:actually )?(?:down|broken|affected)",
    r"(?:no ?one|no-one|nobody|no users?) (?:is |are )?(?:down|affected)",
    r"(?:still |is |are )?(?:passing|carrying|handling) (?:all )?(?:the )?(?:traffic|load)",
    r"traffic (?:is )?(?:still )?(?:unaffected|fine|normal)",
    r"not service[- ]affecting|not affecting (?:traffic|users|service|anyone)",
    r"(?:haven't|have not|hasn't|has not) noticed|not a big deal|cosmetic|within limits",
    # users not noticing now - not "we didn't notice until 9 that the office was down"
    r"(?:users|staff|people|they|nobody|no one|customers) (?:don't|do not) (?:even )?notice",
    r"(?:is|are|it's) actually (?:fine|working)",
    # the business itself carries on: only a tool round it is broken
    r"(?:business|trading|operations|production)(?: itself)? (?:is |are )?(?:still )?(?:running|"
    r"working|operating|trading|carrying on) ?(?:fine|normally|as normal|ok)",
    r"(?:themselves |itself )?works? (?:fine|normally|ok) for (?:trading|business|sales|work)",
)
# Something else is fine: says there is an affected part without saying how big it is.
ELSE_FINE: Final = _rx(
    r"(?:everyone|everybody|the rest|(?:the )?others?|other (?:\w+ )?(?:users|people|staff|"
    r"admins|pcs)) (?:else )?(?:\w+ ){0,4}?(?:is |are |works? |working |can |connects? )"
    r"(?:fine|ok|okay|normal|normally|unaffected)",
    r"(?:everything|everyone|everybody) else|(?:otherwise|else) (?:fine|ok|working)",
    r"nothing else (?:is |'s |seems |looks )?(?:\w+ )?(?:affected|impacted|down|broken|wrong)",
    r"(?:the rest|everyone else|everybody else|the others) (?:of (?:the|us|our|them) ?[\w-]* )?"
    r"(?:can|are fine|is fine|work)",
    rf"(?:users|staff|pcs|floors|sites|vlans|ports|aps|internet|network|everything|"
    rf"business|trading|lan|{PLACE}) (?:itself )?(?:(?:is|are) (?:all )?(?:still )?(?:fine|ok|up|"
    r"unaffected|not affected|working|normal|running)|(?:all )?(?:fine|ok|unaffected))",
    r"(?:internet|network|wi-?fi|lan|data|everything)(?: (?!but\b)[\w-]+){0,4}? (?:works|is fine|"
    r"are fine|is ok|are ok|is working|are working)",
    r"still (?:up|works?|working|running|fine)(?! (?:but|until))",
    r"(?:working|works|running|fine|ok) (?:fine |ok |normally )?otherwise",
    r"(?:can|are|is) still (?:work|trade|browse|use|access|connect|print|log)\w*",
)
# Redundancy: one of a pair failed, the other carries on.
REDUNDANT: Final = _rx(
    r"psu ?\d?|pem ?\d?|power suppl(?:y|ies)|fans?|fan (?:tray|module)",
    r"redundan\w*|(?:ha|failover|cluster|vsx|vpc) (?:pair|peer|member|partner)|cluster",
    r"standby|passive|secondary|warm spare|spare|one leg",
    r"backup (?:link|wan|lte|router|line|tunnel|path|circuit)",
    r"other (?:psu|supply|unit|member|fans|fan|link|controller)|member [a-z0-9]\b",
)
# Only management, monitoring or reporting broken - traffic flows.
MANAGEMENT: Final = _rx(
    r"(?:just|only) (?:the )?(?:management|monitoring|logging|reporting|dashboard|cloud|gui|"
    r"ssh|web ?ui|alerts?|logs?)",
    r"(?:it's|is) just management|management only",
    r"alerts?|alarms?|warnings?|log (?:spam|entries|messages)|e-?mails? from",
)
# The box everything passes through, said to be down: that takes the site down with it.
CENTRAL_DOWN: Final = _rx(
    r"(?:core(?: switch\w*| stack| router)?|firewall|main (?:router|switch\w*|firewall)|"
    r"(?:the|our) (?:only |main |internet |edge )?router)(?: \S+){0,4}? "
    r"(?:is |has |went |has gone |keeps |stays )?"
    r"(?:completely |totally )?(?:dead|down|offline|dark|boot ?looping|in a boot ?loop|halted|"
    r"won't boot|not booting|crashed|no power|fried|blown|burnt out|"
    # not "the firewall sends emails about failed logins"
    r"fail(?:ed|ure)(?! (?:\w+ )?(?:log-?ins?|log-?ons?|attempts?|auth\w*|over|to|update|upgrade|"
    r"install\w*|passwords?|connections?|sessions?|tunnels?|vpn|policy|rules?)))",
    # the site's only way out: its WAN / internet line
    r"(?:wan|internet|fibre|fiber|leased line|primary) (?:port|link|interface|line|connection|"
    r"circuit)s?(?: [^\s.;]+){0,10}? (?:is |has |went |has gone )?(?:completely |totally )?"
    r"(?:dead|down|offline|failed|died)",
)
# It happened but is back: a past outage is degradation, not an outage now.
RECOVERED: Final = _rx(
    r"(?:it'?s|is|everything is|all is|it has) (?:\w+ )?(?:back (?:up|online|to normal)|up "
    r"(?:now|again)|working again)|back to normal",
    r"until (?:it|the \w+) (?:came|comes) back|recover(?:s|ed)? (?:on its own|by itself)|"
    r"(?:then|and) recovers",
    r"came back (?:up |online |on its own )?(?:after|within|in) (?:about |around |roughly |~)?\d+",
    r"(?:been|is|was|working|running|stable) (?:fine|ok|stable|normal|normally) (?:ever )?since"
    r"(?! (?:the|we|our|i|upgrad|updat|install|chang|yesterday|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|last|this|\d))",
    r"no (?:further )?(?:issues|problems|drops|outages) since",
    # a short outage that is over - not "without internet for 40 minutes now"
    r"(?<!been )(?<!without )(?<!without internet )(?<!down )for (?:about |around |roughly |~)?"
    r"\d+(?:\s?[-–]\s?\d+)? (?:min\w*|seconds|secs)(?! (?:now|so far|already|and counting))",
)
# A way round the fault the customer is using now (not "no workaround").
WORKAROUND: Final = _rx(
    r"(?<!no )(?<!without a )(?<!without any )(?<!there is no )(?<!there's no )work[- ]?around",
    r"stop-?gap|bypass\w*|tether\w*|hotspots?|roaming onto",
    # "instead" of a way round - not a symptom ("a 169.254 address instead of a lease")
    r"(?<!address )(?<!addresses )(?<!ip )(?<!page )(?<!error )instead(?! of)",
    r"moved (?:the |her |him |it |them |\w+ )?(?:\w+\s)?(?:to|onto)\s(?:(?:port|ether|sfp|ge-|xe-|"
    r"et-|eth|gi|te)\S*|the spare\w*|a spare\w*|another \w+|a different \w+|\d\S*)",
    r"re-?pointed|re-?routed",
    r"plugged (?:the |our )(?:[\w-]+ ){0,3}(?:router|modem|ont|fibre|line|laptop|pc)\b"
    r"[^.\n]{0,40}(?:directly|straight)",
    r"(?:using|use|used|on|via|through|over|running|working|connected|plugged|moved|switched)\b"
    r"[^.\n]{0,40}?\b(?:for now|in the meantime|temporarily|for today|meanwhile)",
    r"running on (?:the )?(?:lte|4g|backup|secondary)|(?:lte|4g) backup",
    r"(?:can|could) (?:phone|work from|plug in|come to|use)",
    r"(?:are|is|been) using (?:that|those|it|the)|offering them",
    r"(?:temporary|interim) (?:rule|fix|route|policy|config\w*|arrangement|solution|setup|link|"
    r"line|router|ap|switch|unit|firewall|connection)",
    r"so (?:that )?(?:they|we|users|staff|people|everyone|she|he) can (?:still |at least )?"
    r"(?:work|trade|connect|print|get|carry on|keep)",
    # the means people fall back on: their own phones, a cable, paper
    r"(?:using|use|via|onto|switched to|fallen back to|fell back to|gone (?:back )?to|went "
    r"(?:back )?to|reverted to) (?:our |their |his |her |my |the |a )?(?:own )?(?:mobiles?|mobile "
    r"(?:phones?|data|hotspots?|network)|cell ?phones?|personal (?:phones?|devices|hotspots?)|"
    r"phone hotspots?|4g|lte|cables?|wired|ethernet|paper(?: notes)?|pen and paper|manual\w*)",
    r"(?:been|are|were|we're|they're) using (?:the |another |a )?[\w-]+ (?:for|instead)",
)
