"""The search evaluation set (bench/search_eval.toml): loading it, resolving its gold references
to articles of the statute corpus, the seeded dev/test split and the test part's hash.

Reads the corpus file, not the database, so the set can be checked without a migrated portal."""

import hashlib
import json
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

EVAL_FILE = Path(__file__).resolve().parent / "search_eval.toml"
SPLIT_SEED = "pufa-search-eval-v1"
KINDS = ("plain", "colloquial", "traditional", "typo", "long", "none")
PARTS = ("dev", "test")
IN_FORCE = ("现行有效", "已被修改")
NATIONAL_PREFIX = "中华人民共和国"
REFERENCE_RE = re.compile(
    r"^(?P<law>\S+) 第(?P<number>\d+)条(?P<suffix>之[一二三四五六七八九十]+)?$"
)


@dataclass(frozen=True)
class Question:
    q: str
    topic: str
    kind: str
    part: str
    gold: tuple[str, ...]  # "民法典 第944条", "刑法 第133条之一"
    seeded: bool = True  # False: added to the dev part after the split was fixed

    @property
    def answerable(self):
        return bool(self.gold)


@dataclass(frozen=True)
class Article:
    """An article of the corpus as the evaluation names it."""

    law_id: str
    law_name: str
    label: str  # 第一百三十三条之一

    @property
    def key(self):
        return (self.law_id, self.label)


def load(path=EVAL_FILE):
    """The questions of the seeded split, then those added to the dev part after it was fixed
    (the file's [[dev_question]] entries: never in the test part, so its hash stays)."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    seeded = [
        Question(q=e["q"], topic=e["topic"], kind=e["kind"], part=e["part"], gold=tuple(e["gold"]))
        for e in data["question"]
    ]
    added = [
        Question(e["q"], e["topic"], e["kind"], PARTS[0], tuple(e["gold"]), seeded=False)
        for e in data.get("dev_question", [])
    ]
    return seeded + added


def part(questions, name):
    return [q for q in questions if q.part == name]


def split_hash(q):
    return hashlib.blake2b(f"{SPLIT_SEED}:{q}".encode(), digest_size=8).hexdigest()


def seeded_parts(questions):
    """{question: part} as the seeded hash decides: within each kind, ordered by hash,
    alternately test and dev."""
    by_kind = defaultdict(list)
    for question in (q for q in questions if q.seeded):
        by_kind[question.kind].append(question.q)
    parts = {}
    for texts in by_kind.values():
        for i, text in enumerate(sorted(texts, key=split_hash)):
            parts[text] = PARTS[1] if i % 2 == 0 else PARTS[0]
    return parts


def part_hash(questions):
    """SHA-256 of a part's questions and gold, in file order: it changes if anything moves."""
    canonical = [[q.q, q.topic, q.kind, list(q.gold)] for q in questions]
    text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def parse_reference(reference):
    """("民法典", 944, "") from "民法典 第944条"; None if malformed."""
    match = REFERENCE_RE.match(reference)
    if match is None:
        return None
    return match["law"], int(match["number"]), match["suffix"] or ""


def corpus_index(laws):
    """{(short name, number, suffix): [Article, …]} over the laws in force of the corpus."""
    index = defaultdict(list)
    for law in laws:
        if law["status"] not in IN_FORCE:
            continue
        short = law["name"].removeprefix(NATIONAL_PREFIX) or law["name"]
        for article in law["articles"]:
            if article["number"] is None:
                continue
            suffix = article["label"].partition("条")[2]
            key = (short, article["number"], suffix)
            index[key].append(Article(law["law_id"], law["name"], article["label"]))
    return index


def resolve(reference, index):
    """The articles a reference names (exactly one when the reference is good)."""
    parsed = parse_reference(reference)
    return index.get(parsed, []) if parsed else []
