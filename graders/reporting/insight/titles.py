"""A readable title for a misconception: its tag is internal (``momentum-wrong-sign``).

The diagnosis ends a failed check's feedback with the mistake it names, after a fixed
label (``Cause: the velocity is subtracted instead of added.``, or ``Looks like: ...`` when
only a pattern fits), sometimes followed by the fix after a colon. The title is the mistake,
up to that colon, from the shortest such phrase among the feedback the class got (the
shortest quotes the fewest numbers); a tag no feedback explains is written out in words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# The labels before the mistake in a feedback sentence (graders/judging/diagnose.py and the checks that
# write their own).
_CAUSE = re.compile(r"(?:Likely cause|More likely|Cause|Looks like):\s*(?P<cause>[^\n]+)")
_NOT_CONFIRMED = " (the pattern fits; not confirmed)"
_SENTENCE_END = re.compile(r"\.(?:\s|$)")
MAX_TITLE = 160  # characters; a longer cause is cut at a word
MIN_TITLE = 20  # characters before a colon for them to stand alone as the title
_CODE_WORDS = frozenset({"eps", "lr", "b", "g", "m", "p", "v", "x", "y"})  # names that start a phrase as code


def cause(feedback: str) -> str:
    """The mistake a feedback sentence names, as a phrase ("" when it names none)."""
    found = list(_CAUSE.finditer(feedback))
    if not found:
        return ""
    text = found[-1].group("cause").replace(_NOT_CONFIRMED, "")  # the last: "More likely" follows "Likely cause"
    end = _SENTENCE_END.search(text)
    text = (text[: end.start()] if end else text).strip().rstrip(".")
    # "...: keep the state on self" -- what follows a colon is the fix, not the mistake.
    mistake = text.split(": ", 1)[0]
    return mistake if len(mistake) >= MIN_TITLE else text


def title(tag: str, feedback: Iterable[str]) -> str:
    """The title of misconception ``tag``, from the feedback sentences that named it."""
    causes = sorted({c for c in map(cause, feedback) if c}, key=lambda c: (len(c), c))
    text = causes[0] if causes else tag.replace("-", " ").replace("_", " ")
    if len(text) > MAX_TITLE:
        text = text[:MAX_TITLE].rsplit(" ", 1)[0] + " ..."
    first = text.split(" ", 1)[0]
    # "the derivative" -> "The derivative"; "nesterov=True", "p.data" and "eps" stay as code writes them.
    return text[:1].upper() + text[1:] if first.isalpha() and first.islower() and first not in _CODE_WORDS else text
