"""Finding a law by the name a person types: full or short, simplified or traditional, with or
without 《》, or a common abbreviation (道交法). Shared by the citation block, its preview in the
editor, the statute API and search's "find an article by its citation"."""

import functools
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from content.models.statutes import Statute
from content.text import WIDTH_TABLE, fold

ABBREVIATIONS_FILE = Path(__file__).resolve().parent / "data" / "law_abbreviations.txt"
NATIONAL_PREFIX = "中华人民共和国"
MAX_LISTED = 5


def name_key(text):
    """What two ways of writing one law's name have in common: simplified, half-width, no
    spaces, 《》 or national prefix (《中華人民共和國勞動合同法》 and 劳动合同法 give one key)."""
    folded = fold((text or "").translate(WIDTH_TABLE))
    for ch in " 《》<>\u3000":
        folded = folded.replace(ch, "")
    return folded.removeprefix(NATIONAL_PREFIX)


@functools.cache
def abbreviations():
    """{abbreviation key: short name key} from the abbreviations file."""
    table = {}
    for line in ABBREVIATIONS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            abbreviation, name = line.split()
            table[name_key(abbreviation)] = name_key(name)
    return table


@dataclass(frozen=True)
class LawMatch:
    statute: Statute | None
    error: str = ""
    candidates: tuple = ()  # the laws an ambiguous name could mean, for the editor to pick


def _listed(statutes):
    names = [f"《{s.name}》" for s in statutes[:MAX_LISTED]]
    return "、".join(names) + ("等" if len(statutes) > MAX_LISTED else "")


def resolve_law(text):
    """The one law in force that a typed name means, or a Chinese error: no such law, a law no
    longer in force (with the version in force, if any), or a name several laws fit."""
    key = name_key(text)
    if not key:
        return LawMatch(None, _("请填写法律名称。"))
    statutes = list(Statute.objects.select_related("current_version").in_force_first())
    if len(key) == 12 and all(ch in "0123456789abcdef" for ch in key):
        by_id = [s for s in statutes if s.law_id == key]  # the corpus's law_id, as stored
        if by_id:
            return _only_in_force(by_id, text)
    key = abbreviations().get(key, key)
    exact = [s for s in statutes if name_key(s.name) == key]
    if exact:
        return _only_in_force(exact, text)
    partial = [s for s in statutes if s.is_in_force and key in name_key(s.name)]
    if len(partial) == 1:
        return LawMatch(partial[0])
    if partial:
        return LawMatch(
            None,
            _("“%(text)s”可以指多部法律：%(names)s。请写出完整名称。")
            % {"text": text, "names": _listed(partial)},
            tuple(partial[:MAX_LISTED]),
        )
    return LawMatch(None, _("法律法规库中没有名为“%(text)s”的法律。") % {"text": text})


def _only_in_force(statutes, text):
    in_force = [s for s in statutes if s.is_in_force]
    if len(in_force) == 1:
        return LawMatch(in_force[0])
    if in_force:
        return LawMatch(
            None,
            _("“%(text)s”可以指多部法律：%(names)s。请写出完整名称。")
            % {"text": text, "names": _listed(in_force)},
            tuple(in_force[:MAX_LISTED]),
        )
    statute = statutes[0]
    message = _("《%(name)s》%(status)s，不能引用；请引用现行有效的版本。") % {
        "name": statute.name,
        "status": statute.get_status_display(),
    }
    if statute.current_version is not None:
        message += _("现行有效的是《%(name)s》。") % {"name": statute.current_version.name}
    return LawMatch(None, message)
