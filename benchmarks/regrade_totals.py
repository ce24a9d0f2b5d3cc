"""Does a change to the graders change anybody's marks? Totals before and after, side by side.

Grades, in-process and with a fixed seed, the demo submission (the whole course) and every correct
alternative in ``tests/alternatives`` (each on the components of its family), and writes one JSON
file: per submission, per component, the score, the maximum and every row's score.

Usage::

    python benchmarks/regrade_totals.py -o before.json          # on the old commit
    python benchmarks/regrade_totals.py -o after.json --compare before.json

``--compare`` prints every component whose total changed (the redesign of issue 10 must change
none) and every row whose name or score changed, and exits 1 when a total changed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from evidence import alternative_submission  # noqa: E402
from nnlab.exercises.course import load_course  # noqa: E402
from nnlab.graders.demo import demo_submission  # noqa: E402
from nnlab.graders.runner import grade  # noqa: E402

SEED = 0
NEEDS = {"early_stopping": {"training"}}  # early stopping trains with the training module's fit


def _family_components(course, prefix: str) -> list[str]:
    """The components an alternative folder named ``<family>_<style>`` is graded on."""
    modules = {
        "activations": ["activations"],
        "layers": ["layers"],
        "losses": ["losses"],
        "optimizers": ["optimizers"],
        "init": ["init"],
        "early_stopping": ["early_stopping"],
        "others": ["perceptron", "models", "training", "gradcheck"],
    }[prefix]
    return [entry.name for _, entry in course.entries() if entry.name.split(".")[0] in modules]


def _totals(report) -> dict[str, dict]:
    return {
        c.component: {
            "score": c.score,
            "max": c.max_score,
            "rows": {check.test_name: check.score for check in c.checks},
        }
        for c in report.components
    }


def regrade() -> dict[str, dict]:
    course = load_course()
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        demo = demo_submission(Path(folder) / "demo")
        results["demo"] = _totals(grade(demo, course, isolate=False, seed=SEED, jobs=1))
        for alternative in sorted((ROOT / "tests" / "alternatives").iterdir()):
            prefix = alternative.name.rsplit("_", 1)[0]
            only = _family_components(course, prefix)
            modules = sorted({name.split(".")[0] for name in only} | NEEDS.get(prefix, set()))
            submission = alternative_submission(alternative, modules, Path(folder) / alternative.name)
            report = grade(submission, course, only=only, isolate=False, seed=SEED, jobs=1)
            results[alternative.name] = _totals(report)
    return results


def compare(before: dict[str, dict], after: dict[str, dict]) -> int:
    changed_totals = 0
    for submission in sorted(before.keys() | after.keys()):
        old, new = before.get(submission, {}), after.get(submission, {})
        for component in sorted(old.keys() | new.keys()):
            a, b = old.get(component), new.get(component)
            if a is None or b is None or (a["score"], a["max"]) != (b["score"], b["max"]):
                changed_totals += 1
                was, now = a and (a["score"], a["max"]), b and (b["score"], b["max"])
                print(f"TOTAL {submission} {component}: {was} -> {now}")
                continue
            if a["rows"] != b["rows"]:
                gone = sorted(a["rows"].keys() - b["rows"].keys())
                came = sorted(b["rows"].keys() - a["rows"].keys())
                moved = sorted(k for k in a["rows"].keys() & b["rows"].keys() if a["rows"][k] != b["rows"][k])
                print(f"rows  {submission} {component}: {len(gone)} gone, {len(came)} new, {len(moved)} rescored")
    total = sum(c["score"] for s in after.values() for c in s.values())
    print(f"{len(after)} submissions; {changed_totals} component totals changed; sum of scores {total:.4f}")
    return 1 if changed_totals else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--compare", type=Path, help="an earlier output to compare with")
    options = parser.parse_args()
    results = regrade()
    options.output.write_text(json.dumps(results, indent=1, sort_keys=True), encoding="utf-8")
    demo = results["demo"]
    print(f"demo: {sum(c['score'] for c in demo.values()):.4f} / {sum(c['max'] for c in demo.values()):.0f}")
    for name, components in results.items():
        if name != "demo":
            score = sum(c["score"] for c in components.values())
            top = sum(c["max"] for c in components.values())
            print(f"{name}: {score:.4f} / {top:.0f}")
    if options.compare:
        return compare(json.loads(options.compare.read_text(encoding="utf-8")), results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
