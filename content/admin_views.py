"""Admin-only JSON for the citation block: what a law name and an article number typed in the
editor resolve to, with the article's exact text, so the editor sees the quote before saving."""

from django import forms
from django.http import JsonResponse
from django.utils.translation import gettext as _

from content.blocks import find_article
from content.citations import ArticleNumberError, parse_article
from content.lawnames import resolve_law


class CitePreviewForm(forms.Form):
    law = forms.CharField(max_length=255, required=False)
    article = forms.CharField(max_length=32, required=False)


def citation_preview(request):
    """{law: {...} | null, article: {...} | null, errors: {law?, article?}}, in Chinese."""
    form = CitePreviewForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": {"law": _("输入太长。")}}, status=400)
    law_text, article_text = form.cleaned_data["law"], form.cleaned_data["article"]
    answer = {"law": None, "article": None, "errors": {}}
    statute = None
    if law_text.strip():
        match = resolve_law(law_text)
        statute = match.statute
        if statute is None:
            answer["errors"]["law"] = match.error
            answer["candidates"] = [s.name for s in match.candidates]
        else:
            answer["law"] = {"law_id": statute.law_id, "name": statute.name}
    if article_text.strip():
        try:
            ref = parse_article(article_text)
        except ArticleNumberError as exc:
            answer["errors"]["article"] = str(exc)
        else:
            article = find_article(statute, ref) if statute else None
            if article is not None:
                answer["article"] = {
                    "key": article.key,
                    "label": article.label,
                    "text": article.text,
                    "url": article.get_absolute_url(),
                }
            elif statute is not None:
                answer["errors"]["article"] = _("《%(name)s》没有%(article)s。") % {
                    "name": statute.name,
                    "article": ref.label or article_text,
                }
    return JsonResponse(answer)
