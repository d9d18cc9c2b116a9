"""How well the interviewer listens in the project stage (issue 15), offline.

    python benchmarks/project_listening.py [--set dev|heldout|all] [--only ID ...] [--personas] [--verbose]

Feeds each scripted conversation in benchmarks/data/project_conversations/ (authored before the code, with
labels; `--set heldout`: the six in heldout/, labelled before the product ran on them; their README has the
first run's figures and says why they are held out no longer) to the real service, one candidate turn
after another (they do not react to what is asked), and compares what the interviewer recorded and asked
with the labels:

- slot-fill agreement: per candidate turn (and the résumé), the slots the project card gained against the
  labelled slots: micro precision, recall and F1 over (turn, slot) pairs, and per-cell agreement over all
  13 slots. Target ≥ 0.90.
- fresh questions for a covered slot: ladder questions asked for a slot the labels say was already covered
  (by an earlier turn or the résumé; the résumé's overview excepted: the first question names its project).
  Target 0.
- vague claims chased: labelled vague claims quoted by a later follow-up. Target ≥ 90%.
- same-subject contradictions probed at once: the interviewer's next message quotes both values. Target ≥ 90%;
  false contradictions (contradiction probes after turns with none labelled) ≤ 5% of contradiction probes.
- project names: the name holds the labelled words; base models: the ledger's base model is the labelled one
  and the judge/teacher models are not.

`--personas` also runs every simulated persona (full-length interview: 13 project questions) and counts fresh
questions for a slot its own card had already covered, and the slots the strong persona's interview covers.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from interviewer import slots
from interviewer.plan import InterviewPlan
from interviewer.service import InterviewService, create_service
from interviewer.simulate import PERSONAS, run_simulation
from question_bank.taxonomy import PROJECT_SLOTS

DATA = Path(__file__).parent / "data" / "project_conversations"
SETS = {"dev": [DATA], "heldout": [DATA / "heldout"], "all": [DATA, DATA / "heldout"]}
PROMPTS = ("question", "follow_up", "redirect")


class Contradiction(BaseModel):
    model_config = ConfigDict(extra="forbid")
    subject: str
    quantity: str
    earlier: str
    now: str


class ScriptedTurn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    say: str
    slots: list[str]
    vague: list[str]
    contradicts: list[Contradiction]


class Conversation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    note: str
    project_name: str | None = None
    base_model: str | None = None
    other_models: list[str] = Field(default_factory=list)
    resume: str | None = None
    resume_slots: list[str] = Field(default_factory=list)
    turns: list[ScriptedTurn]


def load_conversations(which: str = "dev") -> list[Conversation]:
    conversations = []
    for path in [path for folder in SETS[which] for path in sorted(folder.glob("*.yaml"))]:
        try:
            conversation = Conversation.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except Exception as error:
            raise SystemExit(f"{path.name}: {error}") from error
        unknown = {slot for turn in conversation.turns for slot in turn.slots} - set(PROJECT_SLOTS)
        if unknown:
            raise SystemExit(f"{path.name}: unknown slots {sorted(unknown)}")
        conversations.append(conversation)
    return conversations


@dataclass
class Tally:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    cells: int = 0
    fresh_for_covered: list[str] = field(default_factory=list)
    vague_total: int = 0
    vague_chased: int = 0
    contradictions_total: int = 0
    contradictions_probed: int = 0
    contradiction_probes: int = 0
    false_contradictions: list[str] = field(default_factory=list)
    names_ok: int = 0
    names_total: int = 0
    models_ok: int = 0
    models_total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def agreeing(self) -> int:
        """Cells (a scored turn or résumé x a ladder slot) whose filled-or-not matches the labels."""
        return self.cells - self.false_positive - self.false_negative

    def add_slots(self, got: set[str], want: set[str], where: str) -> None:
        self.true_positive += len(got & want)
        self.false_positive += len(got - want)
        self.false_negative += len(want - got)
        self.cells += len(PROJECT_SLOTS)
        if got != want:
            self.misses.append(f"slots {where}: extra {sorted(got - want)} missing {sorted(want - got)}")


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def quotes_in(text: str) -> list[str]:
    return re.findall(r"「([^」]+)」", text)


def run_conversation(service: InterviewService, conversation: Conversation, tally: Tally, verbose: bool) -> None:
    plan = InterviewPlan(stages=["project"], project_questions=13, resume_text=conversation.resume)
    view = service.start(plan)
    covered: set[str] = set(conversation.resume_slots) - {"overview"}
    if conversation.resume:
        tally.add_slots(set(slots.fill_slots(conversation.resume)), set(conversation.resume_slots),
                        f"{conversation.id} résumé")
    card_before: dict[str, str] = {}
    probed_before: list[str] = []
    vague_open: list[str] = []
    for index, scripted in enumerate(conversation.turns):
        if not view.awaiting_answer:
            tally.misses.append(f"{conversation.id}: interview ended before turn {index + 1}")
            break
        view = service.answer(view.session_id, scripted.say)
        snapshot = service.snapshot(view.session_id)
        card = {key: value for key, value in snapshot.project_card.items() if not key.startswith("technique:")}
        gained = {slot for slot, text in card.items() if text != card_before.get(slot)}
        tally.add_slots(gained, set(scripted.slots), f"{conversation.id} turn {index + 1}")
        card_before = card
        covered |= set(scripted.slots)
        replies = [turn for turn in view.new_turns if turn.kind in PROMPTS]
        follow_up_texts = [turn.text for turn in replies if turn.kind == "follow_up"]
        for turn in replies:
            if turn.kind == "question" and turn.stage == "project" and turn.slot in covered:
                tally.fresh_for_covered.append(f"{conversation.id} turn {index + 1}: {turn.slot}: {turn.text}")
        # Contradictions: the very next message quotes both values.
        new_conflicts = [key for key in snapshot.probed_claims[len(probed_before):] if key.startswith("conflict:")]
        probed_before = list(snapshot.probed_claims)
        tally.contradiction_probes += len(new_conflicts)
        for label in scripted.contradicts:
            tally.contradictions_total += 1
            first = compact(replies[0].text) if replies else ""
            if compact(label.earlier) in first and compact(label.now) in first:
                tally.contradictions_probed += 1
            else:
                tally.misses.append(f"contradiction not probed {conversation.id} turn {index + 1}: {label.earlier} / "
                                    f"{label.now}; next: {replies[0].text if replies else None}")
        if new_conflicts and not scripted.contradicts:
            tally.false_contradictions.append(f"{conversation.id} turn {index + 1}: {new_conflicts}")
        # Vague claims: chased by any later follow-up quoting them.
        vague_open += scripted.vague
        for phrase in list(vague_open):
            if any(phrase in quote or quote in phrase for text in follow_up_texts for quote in quotes_in(text)):
                tally.vague_chased += 1
                vague_open.remove(phrase)
        if verbose:
            print(f"  [{conversation.id} {index + 1}] gained {sorted(gained)}")
            for turn in replies:
                print(f"      {turn.kind}/{turn.slot}: {turn.text}")
    tally.vague_total += sum(len(turn.vague) for turn in conversation.turns)
    tally.misses += [f"vague not chased {conversation.id}: {phrase}" for phrase in vague_open]

    snapshot = service.snapshot(view.session_id)
    if conversation.project_name:
        tally.names_total += 1
        answers = [conversation.resume or "", *(turn.say for turn in conversation.turns)]
        name = slots.project_name(answers) or ""
        if all(word.lower() in name.lower() for word in conversation.project_name.split()):
            tally.names_ok += 1
        else:
            tally.misses.append(f"name {conversation.id}: {name!r} (want {conversation.project_name})")
    if conversation.base_model:
        tally.models_total += 1
        bases = {claim.value for claim in snapshot.claims if claim.kind == "model" and claim.role == "base"}
        others = {model.lower() for model in conversation.other_models}
        if any(conversation.base_model.lower() in base for base in bases) and not bases & others:
            tally.models_ok += 1
        else:
            tally.misses.append(f"base model {conversation.id}: {sorted(bases)} (want {conversation.base_model})")


def persona_checks(service: InterviewService) -> list[str]:
    lines = []
    plan = InterviewPlan(project_questions=13, technical_questions=2, behavioral_questions=1)
    for persona in PERSONAS:
        view = run_simulation(service, persona, plan, seed=1)
        covered: set[str] = set()
        reasked = []
        current_slot: str | None = None
        for turn in view.turns:
            if turn.stage != "project":
                continue
            if turn.kind == "question":
                if turn.slot in covered:
                    reasked.append(turn.slot)
                current_slot = turn.slot
            elif turn.kind == "answer" and current_slot and not set(turn.grade.flags if turn.grade else []) & {
                    "non_answer", "off_topic", "injection", "skipped"}:
                covered |= set(slots.fill_slots(turn.text)) | {current_slot}
        card = service.snapshot(view.session_id).project_card
        filled = [slot for slot in PROJECT_SLOTS if slot in card]
        questions = sum(1 for turn in view.turns if turn.stage == "project" and turn.kind == "question")
        lines.append(f"  {persona:10s} re-asks of a covered slot: {len(reasked)} {reasked or ''}  "
                     f"slots covered: {len(filled)}/13  project questions: {questions}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--personas", action="store_true", help="also check every simulated persona")
    parser.add_argument("--verbose", action="store_true", help="print every interviewer reply")
    parser.add_argument("--set", choices=sorted(SETS), default="dev",
                        help="dev: the 24 conversations the listening code was built on; heldout: the 6 held out")
    parser.add_argument("--only", nargs="+", metavar="ID", help="run only these conversations")
    args = parser.parse_args()
    conversations = [conversation for conversation in load_conversations(args.set)
                     if not args.only or conversation.id in args.only]
    tally = Tally()
    with tempfile.TemporaryDirectory() as directory:
        service = create_service(Path(directory))
        for conversation in conversations:
            run_conversation(service, conversation, tally, args.verbose)
        persona_lines = persona_checks(service) if args.personas else []

    precision = tally.true_positive / max(1, tally.true_positive + tally.false_positive)
    recall = tally.true_positive / max(1, tally.true_positive + tally.false_negative)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    turns = sum(len(conversation.turns) for conversation in conversations)
    print(f"set: {args.set}  conversations: {len(conversations)}  candidate turns: {turns}")
    print(f"slot fill: F1 {f1:.3f} (precision {precision:.3f}, recall {recall:.3f}); "
          f"per-cell agreement {tally.agreeing / max(1, tally.cells):.3f}   target >= 0.90")
    print(f"fresh questions for a covered slot: {len(tally.fresh_for_covered)}   target 0")
    print(f"vague claims chased: {tally.vague_chased}/{tally.vague_total} "
          f"({tally.vague_chased / max(1, tally.vague_total):.0%})   target >= 90%")
    print(f"contradictions probed at once: {tally.contradictions_probed}/{tally.contradictions_total} "
          f"({tally.contradictions_probed / max(1, tally.contradictions_total):.0%})   target >= 90%")
    false_rate = len(tally.false_contradictions) / max(1, tally.contradiction_probes)
    print(f"false contradictions: {len(tally.false_contradictions)} of {tally.contradiction_probes} contradiction "
          f"probes ({false_rate:.0%}; {len(tally.false_contradictions)}/{turns} turns)   target <= 5%")
    print(f"project names from the candidate's words: {tally.names_ok}/{tally.names_total}")
    print(f"base model told apart from judge/teacher models: {tally.models_ok}/{tally.models_total}")
    if persona_lines:
        print("simulated personas (13 project questions):")
        print("\n".join(persona_lines))
    details: list[Any] = [*tally.fresh_for_covered, *tally.false_contradictions, *tally.misses]
    if details:
        print("\ndetails:")
        print("\n".join(f"  {line}" for line in details))


if __name__ == "__main__":
    main()
