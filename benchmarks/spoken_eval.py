"""How the grader hears answers spoken the way candidates talk, offline.

    python benchmarks/spoken_eval.py [--set NAME] [--verbose]   (NAME: one of the files below, or all)

The answers in benchmarks/data/spoken/ were written by authors who never saw the grader, before it graded
them, and checked by a second reader; each is labelled with the key points it states and contradicts:

- runon.jsonl: 24 questions × a correct answer run on in one long comma-joined sentence, a fluent wrong
  answer reusing the key points' own words, and a partial one. Used while building the clause reading of
  long sentences (so not unseen).
- negations.jsonl: 24 other questions × correct, wrong-in-the-same-words, partial, and correct answers put
  with true negations ("不是 A，而是 B", "不会…", "A 不像 B 那样…"). Written after that work and
  measured on, then used while building the reading of negated opposites and attributions.
- siblings.jsonl and heldout.jsonl: 24 further questions each × the same four kinds, the wrong answers
  often saying one thing's property of its sibling ("ZeRO-3 才切梯度"), by two other authors, second-read
  before the grader was measured on them. siblings.jsonl was then used while building the seventh
  session's readings; heldout.jsonl only measured on.
- paraphrase_built.jsonl and paraphrase_heldout.jsonl: 12 further questions each, by two more authors, five
  kinds: the four above and a correct answer worded away from the points (analogies, mechanisms, examples:
  "ORM 像只看最后得数的阅卷老师"). The first was used while building the eighth session's readings; the
  second only measured on.
- fresh_heldout.jsonl: 24 further questions, by two more authors, the same five kinds, the wrong answers
  holding at least one subtle error (a flipped direction, swapped roles, a wrong number). Written in the
  ninth session before that session's changes and second-read; only measured on, at the session's end.
- fresh_heldout_2.jsonl: 24 further questions, by two more authors and two readers, the same five kinds.
  Written at the start of the tenth session, when fresh_heldout's misses began to be read; measured at
  that session's end, after which its misses were read for two fixes (so it is no longer unseen).
  The eleventh session read it again for its fixes.
- fresh_heldout_3.jsonl: 24 further questions (in no other benchmark file), by two more authors and two
  readers, the same five kinds. Written in the eleventh session blind to the grader; neither read nor run by
  the developer before it was measured, once, at that session's end. Its misses were read in the twelfth
  session.
- fresh_heldout_4.jsonl: 24 further questions (in no other benchmark file), by two more authors and two
  readers, the same five kinds, written at the start of the twelfth session blind to the grader; neither read
  nor run by the developer before it was measured at that session's end. Its misses were read, and the
  verdict model was checked on it without fitting on it, in the thirteenth session.
- fresh_heldout_5.jsonl: 24 further questions (the last bank questions in no other benchmark file), by two
  more authors and two readers, the same five kinds, written at the start of the thirteenth session blind to
  the grader; neither read nor run by the developer before it was measured at that session's end.
- fresh_heldout_6.jsonl: new answers, by two more authors and two readers, the same five kinds, to 24 questions
  of the four oldest files (no bank question was left unused): the questions and rubrics were seen while
  building, the answers were not. Written at the start of the fourteenth session blind to the grader; not
  read or run by the developer before it was measured at that session's end.
- fresh_heldout_7.jsonl: new answers, by two more authors and two readers, the same five kinds, to 24 questions
  of the ninth to thirteenth sessions' files. Written at the start of the sixteenth session blind to the
  grader; not read or run by the developer before it was measured at that session's end.

Prints per kind the mean score and how many answers were flagged with a misconception, how often the correct
answers outscore the partial ones and those the wrong ones, and the share of labelled stated and contradicted
points the grader agrees with.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, ConfigDict

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from interviewer.grading import build_grader
from interviewer.settings import LLMSettings
from question_bank.loader import questions_by_id
from rubrics.embeddings import default_embedder
from rubrics.store import open_store

DATA = Path(__file__).parent / "data" / "spoken"
SETS = {"runon": ["runon.jsonl"], "negations": ["negations.jsonl"], "siblings": ["siblings.jsonl"],
        "heldout": ["heldout.jsonl"], "paraphrase_built": ["paraphrase_built.jsonl"],
        "paraphrase_heldout": ["paraphrase_heldout.jsonl"], "fresh_heldout": ["fresh_heldout.jsonl"],
        "fresh_heldout_2": ["fresh_heldout_2.jsonl"], "fresh_heldout_3": ["fresh_heldout_3.jsonl"],
        "fresh_heldout_4": ["fresh_heldout_4.jsonl"], "fresh_heldout_5": ["fresh_heldout_5.jsonl"],
        "fresh_heldout_6": ["fresh_heldout_6.jsonl"], "fresh_heldout_7": ["fresh_heldout_7.jsonl"],
        "all": ["runon.jsonl", "negations.jsonl", "siblings.jsonl", "heldout.jsonl", "paraphrase_built.jsonl",
                "paraphrase_heldout.jsonl", "fresh_heldout.jsonl", "fresh_heldout_2.jsonl",
                "fresh_heldout_3.jsonl", "fresh_heldout_4.jsonl", "fresh_heldout_5.jsonl", "fresh_heldout_6.jsonl",
                "fresh_heldout_7.jsonl"]}


class SpokenAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_id: str
    kind: str  # correct…, partial…, wrong…
    answer: str
    stated: list[int]
    contradicted: list[int]


def load(names: list[str]) -> list[SpokenAnswer]:
    return [SpokenAnswer.model_validate_json(line) for name in names
            for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="all")
    parser.add_argument("--home", type=Path, default=Path(tempfile.gettempdir()) / "mock-interviewer-bench")
    parser.add_argument("--verbose", action="store_true", help="print every answer's score and statuses")
    args = parser.parse_args()
    embedder = default_embedder()
    grader = build_grader(embedder, open_store(args.home, embedder),
                          settings=LLMSettings(api_key=None, base_url=None, model="none"))
    bank = questions_by_id()
    for name in SETS[args.set]:
        answers = load([name])
        scores: dict[str, list[int]] = defaultdict(list)
        flagged: dict[str, int] = defaultdict(int)
        per_question: dict[str, dict[str, int]] = defaultdict(dict)
        agreed = {"stated": [0, 0], "contradicted": [0, 0]}
        for answer in answers:
            result = grader.grade(bank[answer.question_id], answer.answer)
            statuses = [point.status for point in result.key_points]
            scores[answer.kind].append(result.score)
            flagged[answer.kind] += "misconception" in result.flags
            # The weakest answer of each group: every correct answer must outscore every partial one.
            group, seen = answer.kind.split("_")[0], per_question[answer.question_id]
            seen[group] = min(result.score, seen.get(group, 100))
            for status, indices in (("stated", answer.stated), ("contradicted", answer.contradicted)):
                for index in indices:
                    agreed[status][0] += statuses[index] == status
                    agreed[status][1] += 1
            if args.verbose:
                print(f"  {answer.question_id:32} {answer.kind:24} {result.score:3d} "
                      f"{''.join(s[0] for s in statuses)} {answer.answer[:40]}")
        print(f"{name}: {len(answers)} answers to {len(per_question)} questions")
        for kind, values in scores.items():
            print(f"  {kind:24} mean {sum(values) / len(values):5.1f}  flagged {flagged[kind]}/{len(values)}")
        ordered = sum(q.get("correct", 0) > q.get("partial", 0) > q.get("wrong", 0) for q in per_question.values())
        above = sum(q.get("partial", 0) > q.get("wrong", 0) for q in per_question.values())
        print(f"  correct > partial > wrong on {ordered}/{len(per_question)} questions; "
              f"partial > wrong on {above}/{len(per_question)}")
        for status, (hit, total) in agreed.items():
            print(f"  labelled {status} points the grader calls {status}: {hit}/{total} = {hit / max(1, total):.2f}")


if __name__ == "__main__":
    main()
