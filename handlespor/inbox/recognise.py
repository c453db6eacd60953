"""Which handlespor an e-mail names, in the order the writer ranks them.

Pure Python. People write the tracks' names in many ways ("trivsel", "grøn musik", "grønnere",
"infrastruktur", "lige adgang", "ligeadgang", "trivselssporet"), misspell them by a letter,
and rank them with words ("1. prioritet", "primært", "sekundært", a numbered list).
"""

import re
from dataclasses import dataclass

# Words for a track, keyed by a stem of the track's name: a track whose name holds the stem is
# recognised by all of them. Folded spelling (see `fold`).
TRACK_WORDS: dict[str, tuple[str, ...]] = {
    "trivsel": ("trivsel", "trivslen", "wellbeing", "well being"),
    "lige adgang": ("lige adgang", "ligeadgang", "lige adgangs", "equal access"),
    "infrastruktur": ("infrastruktur", "infrastrukturer", "infrastructure", "infrastructures"),
    "groen": (
        "groen musik",
        "groennere",
        "groennere musik",
        "groen omstilling",
        "groent musikliv",
        "greener",
        "green music",
    ),
}
# Single words this long also match with one letter wrong, missing, extra or swapped, and as
# the start of a compound ("trivselssporet").
FUZZY_LENGTH = 7

# The call's own wording about the partnership's reporting names two tracks' themes without
# meaning the tracks.
NOT_A_TRACK = re.compile(
    r"rapportering\w*\s+(om|paa|af|vedr\w*|for)\s+lige\s+adgang\s+og\s+trivsel"
    r"|lige\s+adgang\s+og\s+trivsel\s*\w*\s*rapportering\w*"
)
FIRST = re.compile(
    r"(?:^|\n)\s*(?:1[.)]|a[.)])\s"
    r"|\b(?:1\.?\s*(?:prioritet|prio|valg|plads)|foerste\s*(?:prioritet|valg)|foersteprioritet"
    r"|foerstevalg|primaert|helst|foerst og fremmest|isaer|allerhelst|first choice)\b"
)
SECOND = re.compile(
    r"(?:^|\n)\s*(?:2[.)]|b[.)])\s"
    r"|\b(?:2\.?\s*(?:prioritet|prio|valg|plads)|anden\s*(?:prioritet|valg)|andenprioritet"
    r"|andetvalg|andet\s*valg|sekundaert|subsidiaert|alternativt|ellers|eventuelt|evt"
    r"|second choice)\b"
)
MARKER_BEFORE = 80  # a marker ranks the next track named within this many characters
MARKER_AFTER = 30  # or the track named just before it ("Trivsel (1. prioritet)")


@dataclass(frozen=True)
class Recognition:
    slugs: list[str]  # ranked: first choice first
    ranked: bool  # the text ranks them, rather than the order of mention


def fold(text: str) -> str:
    """Lower case, Danish letters spelled out, so "Grønnere" and "groennere" meet."""
    text = text.lower()
    for letter, spelled in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ö", "oe")):
        text = text.replace(letter, spelled)
    return re.sub(r"[-_/]", " ", text)


def _within_one_edit(a: str, b: str) -> bool:
    """Damerau–Levenshtein distance ≤ 1."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        if len(diffs) != 2:
            return False
        i, j = diffs
        return j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _word_matches(token: str, word: str) -> bool:
    if token == word:
        return True
    if len(word) < FUZZY_LENGTH:
        return False
    if token.startswith(word) or _within_one_edit(token, word):
        return True
    # a misspelt compound: "trivselsporet", "infrastukturgruppe"
    return len(token) > len(word) and (
        _within_one_edit(token[: len(word)], word) or _within_one_edit(token[: len(word) - 1], word)
    )


def _aliases(track_name: str, slug: str) -> list[list[str]]:
    name = fold(track_name)
    words = [name, fold(slug)]
    for stem, aliases in TRACK_WORDS.items():
        if stem in name:
            words.extend(aliases)
    return [alias.split() for alias in dict.fromkeys(words) if alias.split()]


def _mentions(text: str, tracks: list[tuple[str, str]]) -> list[tuple[int, str]]:
    """(position, slug) of every place a track is named."""
    tokens = [(m.start(), m.group(0)) for m in re.finditer(r"[a-z0-9]+", text)]
    found = []
    for name, slug in tracks:
        for alias in _aliases(name, slug):
            for index in range(len(tokens) - len(alias) + 1):
                window = tokens[index : index + len(alias)]
                if all(
                    _word_matches(tok, word) for (_p, tok), word in zip(window, alias, strict=True)
                ):
                    found.append((window[0][0], slug))
    return sorted(set(found))


def _ranks(text: str, mentions: list[tuple[int, str]]) -> dict[str, int]:
    ranks: dict[str, int] = {}
    for rank, pattern in ((1, FIRST), (2, SECOND)):
        for marker in pattern.finditer(text):
            line_end = text.find("\n", marker.end())
            line_end = len(text) if line_end < 0 else line_end
            after = [
                (p, s)
                for p, s in mentions
                if marker.end() - 1 <= p <= min(marker.end() + MARKER_BEFORE, line_end)
            ]
            line_start = text.rfind("\n", 0, marker.start()) + 1
            before = [
                (p, s)
                for p, s in mentions
                if max(line_start, marker.start() - MARKER_AFTER) <= p < marker.start()
            ]
            # "Trivsel (2. prioritet)": a marker in brackets or after a dash ranks what precedes
            attached = re.search(r"[(\-–:]\s*$", text[line_start : marker.start()])
            target = (before[-1:] or after[:1]) if attached else (after[:1] or before[-1:])
            if target and target[0][1] not in ranks:
                ranks[target[0][1]] = rank
    return ranks


# Characters of a text searched for track names: people name their track early, and a huge
# body must not take the intake minutes (the fuzzy match costs about 8 µs a character).
RECOGNITION_LIMIT = 20_000


def recognise_tracks(subject: str, text: str, tracks: list[tuple[str, str]]) -> Recognition:
    """The tracks (name, slug) named in subject and the first RECOGNITION_LIMIT characters of
    the text, first choice first."""
    folded = NOT_A_TRACK.sub(" ", fold(subject) + "\n\n" + fold(text[:RECOGNITION_LIMIT]))
    mentions = _mentions(folded, tracks)
    first_seen: dict[str, int] = {}
    for position, slug in mentions:
        first_seen.setdefault(slug, position)
    ranks = _ranks(folded, mentions)
    if len(first_seen) < 2:
        return Recognition(slugs=list(first_seen), ranked=bool(first_seen))
    # Unranked tracks sit between the named first and second choices, in order of mention.
    ordered = sorted(first_seen, key=lambda s: (ranks.get(s, 1.5), first_seen[s]))
    return Recognition(slugs=ordered, ranked=bool(ranks))
