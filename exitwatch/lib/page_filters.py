"""The API's filtersets dressed for people: shared by the list pages.

Pages take the very parameters the API takes, so a page URL and an API URL filter
alike; only labels, widgets and choice names change, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

PAGE_SIZE = 50

YES_NO = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


@dataclass(frozen=True)
class FilteredPage:
    """One page of a filtered list, or the form's errors (then `page` is None)."""

    form: forms.Form
    page: Page | None
    ordering: str
    querystring: str  # the filters without `page`, for the pager links

    @property
    def is_valid(self) -> bool:
        return self.page is not None


def dress_form(form: forms.Form, labels: dict[str, str]) -> None:
    """Page labels, and an "any" first choice where the API's field has none (an
    API client leaves the parameter out; a page's select must offer that)."""
    for name, field in form.fields.items():
        if name in labels:
            field.label = labels[name]
        if isinstance(field, forms.ChoiceField) and not isinstance(
            field, forms.ModelChoiceField
        ):
            choices = [(value, text) for value, text in field.choices if value != ""]
            field.choices = [("", _("Any")), *choices]


def paginate(
    queryset: QuerySet, params: QueryDict, form: forms.Form, ordering: str
) -> FilteredPage:
    keep = params.copy()
    keep.pop("page", None)
    page = Paginator(queryset, PAGE_SIZE).get_page(params.get("page"))
    return FilteredPage(
        form=form, page=page, ordering=ordering, querystring=keep.urlencode()
    )
