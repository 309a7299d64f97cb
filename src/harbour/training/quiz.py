"""Quiz questions as data: checking them, the console's plain-text form, what a member is shown (never the
correct options), and scoring an attempt on the server."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from harbour.core.errors import Invalid

MAX_QUESTIONS = 50
MAX_OPTIONS = 8
TEXT_MAX = 500


def _new_id() -> str:
    return uuid.uuid4().hex[:10]


def clean_questions(raw: Any) -> list[dict[str, Any]]:
    """Questions as stored: each with text and 2–8 options, at least one correct. Ids are kept when given
    (unique), else made."""
    if not isinstance(raw, list) or not raw:
        raise Invalid(_("add at least one question"), field="questions")
    if len(raw) > MAX_QUESTIONS:
        raise Invalid(_("a quiz has at most %(n)d questions") % {"n": MAX_QUESTIONS}, field="questions")
    seen: set[str] = set()
    cleaned: list[dict[str, Any]] = []
    for number, question in enumerate(raw, start=1):
        if not isinstance(question, Mapping):
            raise Invalid(_("question %(n)d is not a question") % {"n": number}, field="questions")
        text = str(question.get("text") or "").strip()
        if not text or len(text) > TEXT_MAX:
            raise Invalid(
                _("question %(n)d needs a text of at most %(max)d characters")
                % {"n": number, "max": TEXT_MAX},
                field="questions",
            )
        options = question.get("options")
        if not isinstance(options, list) or not 2 <= len(options) <= MAX_OPTIONS:
            raise Invalid(
                _("question %(n)d needs between 2 and %(max)d options") % {"n": number, "max": MAX_OPTIONS},
                field="questions",
            )
        clean_options = []
        for option in options:
            option_text = str(option.get("text") or "").strip() if isinstance(option, Mapping) else ""
            if not option_text or len(option_text) > TEXT_MAX:
                raise Invalid(_("an option of question %(n)d has no text") % {"n": number}, field="questions")
            option_id = _unique_id(option.get("id"), seen)
            clean_options.append(
                {"id": option_id, "text": option_text, "correct": bool(option.get("correct"))}
            )
        if not any(option["correct"] for option in clean_options):
            raise Invalid(
                _("question %(n)d needs at least one correct option") % {"n": number}, field="questions"
            )
        cleaned.append({"id": _unique_id(question.get("id"), seen), "text": text, "options": clean_options})
    return cleaned


def _unique_id(given: Any, seen: set[str]) -> str:
    value = str(given).strip() if given else ""
    if not value or value in seen or len(value) > 40:
        value = _new_id()
    seen.add(value)
    return value


def parse_text(text: str) -> list[dict[str, Any]]:
    """The console's form: a question on its own line, then its options, each starting with ``*`` (correct)
    or ``-`` (wrong). Blank lines are ignored."""
    questions: list[dict[str, Any]] = []
    for line_number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if line[0] in "*-":
            if not questions:
                raise Invalid(
                    _("line %(n)d: an option comes before any question") % {"n": line_number},
                    field="questions",
                )
            questions[-1]["options"].append({"text": line[1:].strip(), "correct": line[0] == "*"})
        else:
            questions.append({"text": line, "options": []})
    return clean_questions(questions)


def as_text(questions: Sequence[Mapping[str, Any]]) -> str:
    lines: list[str] = []
    for question in questions:
        lines.append(str(question["text"]))
        lines += [f"{'*' if o['correct'] else '-'} {o['text']}" for o in question["options"]]
        lines.append("")
    return "\n".join(lines).strip()


def shown_to_member(questions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """What a member taking the quiz sees: questions and options, never which options are correct."""
    return [
        {
            "id": q["id"],
            "text": q["text"],
            "options": [{"id": o["id"], "text": o["text"]} for o in q["options"]],
            "multiple": sum(1 for o in q["options"] if o["correct"]) > 1,
        }
        for q in questions
    ]


@dataclass(frozen=True)
class Score:
    answers: dict[str, list[str]]
    right: int
    total: int
    percent: int

    def passes(self, pass_mark: int) -> bool:
        """Exactly the pass mark passes (compared without rounding: 4 of 5 right is 80%)."""
        return self.right * 100 >= pass_mark * self.total


def score(questions: Sequence[Mapping[str, Any]], answers: Any) -> Score:
    """Score an attempt: a question counts when the chosen options are exactly its correct ones. Every
    question must be answered, and only with its own options."""
    if not isinstance(answers, Mapping):
        raise Invalid(_("answer with question id → chosen option ids"), field="answers")
    by_id = {str(q["id"]): q for q in questions}
    unknown = [key for key in answers if str(key) not in by_id]
    if unknown:
        raise Invalid(_("no such question: %(id)s") % {"id": unknown[0]}, field="answers")
    clean: dict[str, list[str]] = {}
    right = 0
    for question_id, question in by_id.items():
        chosen = answers.get(question_id)
        if isinstance(chosen, str):
            chosen = [chosen]
        if not isinstance(chosen, list) or not chosen:
            raise Invalid(
                _("answer the question “%(q)s”") % {"q": question["text"]}, field=f"answers.{question_id}"
            )
        options = {str(o["id"]): bool(o["correct"]) for o in question["options"]}
        picked = sorted({str(value) for value in chosen})
        strange = [value for value in picked if value not in options]
        if strange:
            raise Invalid(
                _("no such option for the question “%(q)s”: %(id)s")
                % {"q": question["text"], "id": strange[0]},
                field=f"answers.{question_id}",
            )
        clean[question_id] = picked
        if set(picked) == {key for key, correct in options.items() if correct}:
            right += 1
    total = len(by_id)
    return Score(answers=clean, right=right, total=total, percent=right * 100 // total if total else 0)
