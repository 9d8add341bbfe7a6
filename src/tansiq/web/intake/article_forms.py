"""The review page's article form: pasted text or HTML, a saved page, an address, a date.

The form is read into an ``ingest.submission.Submission``, the same the API builds,
so both refuse alike; the submission's English messages are mapped here to message
ids a reader understands. An empty textarea or file input counts as not given: with
neither, the page is fetched from the address (when the node fetches pages).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile

from tansiq.domain.errors import FieldError
from tansiq.ingest.sources import SourceError, from_bytes
from tansiq.ingest.submission import Submission
from tansiq.web.common.fields import BAD_DATE, MISSING, text
from tansiq.web.common.form_errors import FieldForm
from tansiq.web.common.forms import coord_message
from tansiq.web.common.i18n import N_

FIELDS = ("text", "url", "published")
NOT_TEXT = N_("The file is not text (UTF-8 or Windows-1256).")
NOT_FETCHED = N_("The page could not be fetched from this address.")
# What ingest/submission says (as a prefix; the first match wins) → what the form says.
ARTICLE_MESSAGES: tuple[tuple[str, str], ...] = (
    ("send the article once", N_("Paste the article or choose its file, not both.")),
    (
        "send the article's html or text",
        N_("Paste the article, choose its file, or give its address."),
    ),
    ("must not be empty", MISSING),
    (
        "must be an http:// or https:// address",
        N_("Give an address starting with http:// or https://."),
    ),
    (
        "is not fetched: this node",
        N_("This node does not fetch pages: paste the article or choose its file."),
    ),
    ("could not be fetched", NOT_FETCHED),
    ("must be an ISO 8601 date", BAD_DATE),
    ("must be between 1990-01-01 and today", N_("Choose a date between 1990 and today.")),
    ("holds no article text", N_("No article text could be read from it.")),
    ("must not contain NUL", N_("Remove the control characters from this text.")),
    ("a binary file", NOT_TEXT),
    ("larger than", N_("The article is too long.")),
)
# The address a node will not fetch from, in words (the technical reason is not shown).
REFUSED_ADDRESS = N_(
    "This node fetches pages only from public web addresses (ports 80 and 443)."
)
TOO_LONG = {
    "url": N_("This address is too long."),
    "text": N_("The article is too long."),
    "file": N_("The article is too long."),
}
CHOOSE_AGAIN = N_("Choose the file again.")
ARTICLE_LABELS: Mapping[str, str] = {
    "text": N_("Article (pasted text or HTML)"),
    "file": N_("Or a saved page (HTML or text file)"),
    "url": N_("Address (optional)"),
    "published": N_("Publication date (optional)"),
}


def empty_article_values() -> dict[str, str]:
    """The article form before anything is typed."""
    return dict.fromkeys(FIELDS, "")


@dataclass
class ArticleForm(FieldForm):
    """The article form as posted; ``file_given`` asks for the file again after a refusal."""

    file_given: bool = False

    def add_service_errors(self, errors: Sequence[FieldError]) -> None:
        """Attach the submission's errors to their inputs, the fetch's reason beside it."""
        for error in errors:
            name = error.field if error.field in ARTICLE_LABELS else "text"
            self.add(name, self.service_message(name, error.message))
            if error.message.startswith("could not be fetched"):
                reason = error.message.removeprefix("could not be fetched: ")
                refused = "TANSIQ_ARTICLE_FETCH" in reason
                # A network error reads as it came (an address, a status): no sentence of
                # the form says it better; a refused address is said in words instead.
                self.add(name, REFUSED_ADDRESS if refused else reason)
        if self.file_given:
            self.add("file", CHOOSE_AGAIN)

    def service_message(self, name: str, message: str) -> str:
        """The form's message id for the submission's ``message`` on input ``name``."""
        if message.startswith("must be at most"):
            return TOO_LONG.get(name, TOO_LONG["text"])
        for known, mapped in ARTICLE_MESSAGES:
            if message.startswith(known):
                return mapped
        return coord_message(name, message)

    def label(self, name: str, labels: Mapping[str, str]) -> str:
        """The message id of an input's label in the error summary."""
        return labels.get(name, ARTICLE_LABELS["text"])


def parse_article_form(form: Mapping[str, Any]) -> tuple[ArticleForm, Submission]:
    """The form as typed (the pasted text kept as is) and the submission it makes."""
    values = {name: text(form, name, strip=name != "text") for name in FIELDS}
    result = ArticleForm(values=values)
    sources: dict[str, str] = {}
    if values["text"].strip():
        sources["text"] = values["text"]
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        result.file_given = True
        try:
            # The request's size limit (TANSIQ_MAX_BODY_BYTES) has bounded it already.
            sources["file"] = from_bytes(upload.file.read(), upload.filename).text
        except SourceError as exc:
            result.add("file", result.service_message("file", str(exc).rsplit(": ", 1)[-1]))
    submission = Submission(
        sources=sources,
        url=values["url"],
        published=values["published"],
        missing_field="text",
    )
    return result, submission
