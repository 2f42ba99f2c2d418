#!/usr/bin/env python3
"""Check the acceptance cases in this folder against the knowledge base's cost model.

For every case file (``*.yaml`` here) and every segment it:

* validates the ``answers`` part against answers schema 1 (keys, types, ids, ranges);
* computes the segment's yearly relationship budget and the yearly cost of every
  relationship type, with the cost model of ``knowledge/types.yaml``::

      cost = fixed_per_year + customers * per_customer_per_year
             + customers * contacts_per_customer_per_year[complexity] * cost_per_contact
             + ceil(customers / staff.accounts_per_person[market]) * staff.cost_per_person

* checks the ``expect`` part against those figures:
  - ``warning: true``  <=> the expected type costs more than the budget, and never
    within +-30 % of it (no borderline cases);
  - at least one ``primary`` type fits the budget;
  - every ``not_in_mix`` type is over budget (so no sensible plan may include it),
    clearly (> +30 %); the fallback type (meta.yaml mix.fallback_type) only when even
    a person for the smallest fallback share of customers is over budget;
  - ``horizon`` follows meta.yaml's rule (>= repeat_purchases_per_year, or a
    retain/expand goal and >= retention_min_purchases_per_year);
  - every ``primary`` type can be delivered through one of the segment's channels;
* prints a table per segment and a summary; exits 1 on any inconsistency.

It also prints, for information only, ``model~``: the affordable type a rough
re-implementation of meta.yaml's scoring would rank first. crstrat's real scoring
may differ in details (how the expectation and channel fits are computed), so a
disagreement there is a note, not an error.

Usage: python3 tests/cases/_check_costs.py [-q] [CASE.yaml ...]
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
KB_DIR = HERE.parents[1] / "knowledge"
BORDER = 0.30  # cost within +-30 % of the budget is "borderline"

GOALS = ("acquire", "retain", "expand")
MARKETS = ("b2c", "b2b")
COMPLEXITIES = ("low", "medium", "high")
CHANNELS = ("in_person", "phone", "email", "chat", "web", "app", "social_media", "forum", "video")
HORIZONS = ("long_term", "transactional")
TOP_KEYS = {"crstrat", "company", "currency", "segments"}
SEG_KEYS = {
    "name", "expectation", "goal", "customers", "purchases_per_year", "spend_per_purchase",
    "budget_share", "budget_per_customer", "market", "complexity", "channels", "existing",
    "proposal",
}
SEG_REQUIRED = ("name", "expectation", "goal", "customers", "purchases_per_year",
                "spend_per_purchase")
EXPECT_KEYS = {"primary", "not_in_mix", "horizon", "warning", "why"}
CASE_KEYS = {"description", "answers", "expect"}


def load_kb() -> tuple[dict[str, dict], dict]:
    types = yaml.safe_load((KB_DIR / "types.yaml").read_text(encoding="utf-8"))["types"]
    meta = yaml.safe_load((KB_DIR / "meta.yaml").read_text(encoding="utf-8"))
    return {t["id"]: t for t in types}, meta


def is_num(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def validate_answers(ans: object, type_ids: set[str]) -> list[str]:
    """Errors of an answers document, per answers schema 1."""
    errs: list[str] = []
    if not isinstance(ans, dict):
        return ["answers: not a mapping"]
    for k in ans:
        if k not in TOP_KEYS:
            errs.append(f"answers: unknown key {k!r}")
    if ans.get("crstrat") != 1 or isinstance(ans.get("crstrat"), bool):
        errs.append("answers.crstrat must be the integer 1")
    if "company" in ans and not (isinstance(ans["company"], str) and ans["company"].strip()):
        errs.append("answers.company must be a non-empty string")
    if "currency" in ans and not (isinstance(ans["currency"], str) and ans["currency"].strip()):
        errs.append("answers.currency must be a non-empty string")
    segs = ans.get("segments")
    if not isinstance(segs, list) or not segs:
        return [*errs, "answers.segments must be a non-empty list"]
    names: set[str] = set()
    for i, s in enumerate(segs):
        p = f"segments[{i}]"
        if not isinstance(s, dict):
            errs.append(f"{p}: not a mapping")
            continue
        for k in s:
            if k not in SEG_KEYS:
                errs.append(f"{p}: unknown key {k!r}")
        for k in SEG_REQUIRED:
            if k not in s:
                errs.append(f"{p}: missing {k}")
        name = s.get("name")
        if not (isinstance(name, str) and name.strip()):
            errs.append(f"{p}.name must be a non-empty string")
        elif name in names:
            errs.append(f"{p}.name {name!r} is not unique")
        else:
            names.add(name)
        if s.get("expectation") not in type_ids:
            errs.append(f"{p}.expectation {s.get('expectation')!r} is not a type id")
        goal = s.get("goal")
        goals = goal if isinstance(goal, list) else [goal]
        if not goals or any(g not in GOALS for g in goals) or len(set(goals)) != len(goals):
            errs.append(f"{p}.goal {goal!r} invalid")
        c = s.get("customers")
        if not (isinstance(c, int) and not isinstance(c, bool) and c >= 1):
            errs.append(f"{p}.customers must be an integer >= 1")
        for k in ("purchases_per_year", "spend_per_purchase"):
            if not (is_num(s.get(k)) and s.get(k) >= 0):
                errs.append(f"{p}.{k} must be a number >= 0")
        if "budget_share" in s and not (is_num(s["budget_share"]) and 0 < s["budget_share"] <= 1):
            errs.append(f"{p}.budget_share must be in (0, 1]")
        if "budget_per_customer" in s and not (is_num(s["budget_per_customer"])
                                               and s["budget_per_customer"] >= 0):
            errs.append(f"{p}.budget_per_customer must be a number >= 0")
        if "market" in s and s["market"] not in MARKETS:
            errs.append(f"{p}.market {s['market']!r} invalid")
        if "complexity" in s and s["complexity"] not in COMPLEXITIES:
            errs.append(f"{p}.complexity {s['complexity']!r} invalid")
        if "channels" in s:
            ch = s["channels"]
            if not isinstance(ch, list) or not ch or any(x not in CHANNELS for x in ch):
                errs.append(f"{p}.channels {ch!r} invalid")
        for k in ("existing", "proposal"):
            if k in s:
                v = s[k]
                if not isinstance(v, list) or any(x not in type_ids for x in v):
                    errs.append(f"{p}.{k} {v!r} invalid")
    return errs


def type_cost(t: dict, customers: int, market: str, complexity: str) -> float:
    c = t.get("cost", {})
    cost = float(c.get("fixed_per_year", 0)) + customers * float(c.get("per_customer_per_year", 0))
    contacts = c.get("contacts_per_customer_per_year")
    if contacts:
        cost += customers * float(contacts[complexity]) * float(c.get("cost_per_contact", 0))
    staff = c.get("staff")
    if staff:
        cost += math.ceil(customers / staff["accounts_per_person"][market]) * staff["cost_per_person"]
    return cost


def fallback_cost(types: dict[str, dict], fb: str, customers: int, market: str,
                  complexity: str) -> float:
    """Cheapest cost of the fallback type serving only the smallest fallback share."""
    shares = [t["fallback_share"][complexity] for t in types.values() if "fallback_share" in t]
    share = min(shares) if shares else 1.0
    full = type_cost(types[fb], customers, market, complexity)
    fixed = float(types[fb].get("cost", {}).get("fixed_per_year", 0))
    return fixed + share * (full - fixed)


def horizon_of(seg: dict, meta: dict) -> str:
    h = meta["horizon"]
    goals = seg["goal"] if isinstance(seg["goal"], list) else [seg["goal"]]
    ppy = seg["purchases_per_year"]
    if ppy >= h["repeat_purchases_per_year"]:
        return "long_term"
    if ({"retain", "expand"} & set(goals)) and ppy >= h["retention_min_purchases_per_year"]:
        return "long_term"
    return "transactional"


def rough_scores(seg: dict, types: dict[str, dict], meta: dict, budget: float,
                 costs: dict[str, float], horizon: str) -> dict[str, float]:
    """A rough reading of meta.yaml's weighted scoring (information only)."""
    sc = meta["scoring"]
    w = sc["weights"]
    goals = seg["goal"] if isinstance(seg["goal"], list) else [seg["goal"]]
    gw = sc["goal_order_weights"][: len(goals)]
    market = seg.get("market", meta["defaults"]["market"])
    cx = seg.get("complexity", meta["defaults"]["complexity"])
    chans = set(seg.get("channels", meta["defaults"]["channels"]))
    n = seg["customers"]
    bpc = budget / n if n else 0.0
    out = {}
    for tid, t in types.items():
        f = t["fit"]
        exp = 1.0 if tid == seg["expectation"] else t.get("similar", {}).get(seg["expectation"], 0)
        goal = sum(wt * f["goals"][g] for wt, g in zip(gw, goals)) / sum(gw)
        tch = f["channels"]
        ch = len(chans & set(tch)) / len(tch) if tch else 1.0
        cpc = costs[tid] / n
        econ = 0.0 if bpc <= 0 else 1 / (1 + (cpc / bpc / sc["economics"]["midpoint"])
                                         ** sc["economics"]["steepness"])
        lo, hi = f["scale"]["ideal_min"], f["scale"]["ideal_max"]
        dec = math.log10(lo / n) if n < lo else (math.log10(n / hi) if n > hi else 0.0)
        scale = max(0.0, 1 - sc["scale_penalty_per_decade"] * dec)
        out[tid] = (w["expectation"] * exp + w["goals"] * goal + w["horizon"] * f["horizon"][horizon]
                    + w["channels"] * ch + w["complexity"] * f["complexity"][cx]
                    + w["market"] * f["market"][market] + w["economics"] * econ
                    + w["scale"] * scale)
    return out


SHORT = {
    "personal_assistance": "PA",
    "dedicated_personal_assistance": "DPA",
    "self_service": "SS",
    "automated_services": "AUTO",
    "communities": "COMM",
    "co_creation": "COCR",
}


def money(x: float) -> str:
    for div, suf in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= div:
            return f"{x / div:.2f}{suf}"
    return f"{x:.0f}"


def main(argv: list[str]) -> int:
    quiet = "-q" in argv
    files = [Path(a) for a in argv if a != "-q"] or sorted(HERE.glob("*.yaml"))
    types, meta = load_kb()
    ids = set(types)
    d = meta["defaults"]
    problems: list[str] = []
    notes: list[str] = []
    stats = {"files": 0, "multi": 0, "segments": 0, "warn": 0, "long_term": 0,
             "transactional": 0, "b2b": 0, "b2c": 0, "restricted_channels": 0,
             "model_agrees": 0}
    cx_count = {c: 0 for c in COMPLEXITIES}
    expectations: dict[str, int] = {t: 0 for t in ids}
    primaries: dict[str, int] = {t: 0 for t in ids}

    for f in files:
        case = yaml.safe_load(f.read_text(encoding="utf-8"))
        stats["files"] += 1
        tag = f.name
        if not isinstance(case, dict):
            problems.append(f"{tag}: not a mapping")
            continue
        for k in case:
            if k not in CASE_KEYS:
                problems.append(f"{tag}: unknown top key {k!r}")
        if not (isinstance(case.get("description"), str) and case["description"].strip()):
            problems.append(f"{tag}: description missing")
        errs = validate_answers(case.get("answers"), ids)
        problems += [f"{tag}: {e}" for e in errs]
        if errs:
            continue
        ans = case["answers"]
        expect = case.get("expect") or {}
        seg_names = [s["name"] for s in ans["segments"]]
        for name in expect:
            if name not in seg_names:
                problems.append(f"{tag}: expect names unknown segment {name!r}")
        if len(seg_names) > 1:
            stats["multi"] += 1
        if not quiet:
            print(f"\n== {tag}  ({ans.get('company', '?')}, {ans.get('currency', 'USD')})")
        for seg in ans["segments"]:
            name = seg["name"]
            stats["segments"] += 1
            market = seg.get("market", d["market"])
            cx = seg.get("complexity", d["complexity"])
            chans = seg.get("channels", d["channels"])
            stats[market] += 1
            cx_count[cx] += 1
            if set(chans) != set(d["channels"]):
                stats["restricted_channels"] += 1
            n = seg["customers"]
            value = seg["purchases_per_year"] * seg["spend_per_purchase"]
            if "budget_per_customer" in seg:
                bpc = float(seg["budget_per_customer"])
            else:
                bpc = seg.get("budget_share", d["budget_share"]) * value
            budget = n * bpc
            costs = {t: type_cost(types[t], n, market, cx) for t in types}
            horizon = horizon_of(seg, meta)
            exp_t = seg["expectation"]
            expectations[exp_t] += 1
            ratio = costs[exp_t] / budget if budget else math.inf
            scores = rough_scores(seg, types, meta, budget, costs, horizon)
            affordable = [t for t in types if costs[t] <= budget]
            model = max(affordable, key=lambda t: scores[t]) if affordable else None

            if not quiet:
                print(f"  -- {name}: {n:,} customers x {seg['purchases_per_year']}/yr x "
                      f"{seg['spend_per_purchase']:,} = {money(value)}/customer/yr; "
                      f"budget {money(bpc)}/customer, {money(budget)}/yr; {market}, {cx}, "
                      f"horizon {horizon}")
                for t in sorted(types, key=lambda t: costs[t]):
                    mark = "ok  " if costs[t] <= budget else "OVER"
                    flags = []
                    if t == exp_t:
                        flags.append("expected")
                    if t == model:
                        flags.append("model~")
                    print(f"     {SHORT[t]:5} {money(costs[t]):>9}  x{costs[t] / budget if budget else math.inf:7.2f}"
                          f"  {mark} score~{scores[t]:.2f} {' '.join(flags)}")

            e = expect.get(name)
            if not isinstance(e, dict):
                problems.append(f"{tag} / {name}: no expect entry")
                continue
            for k in e:
                if k not in EXPECT_KEYS:
                    problems.append(f"{tag} / {name}: unknown expect key {k!r}")
            for k in ("primary", "horizon", "warning", "why"):
                if k not in e:
                    problems.append(f"{tag} / {name}: expect.{k} missing")
            prim = e.get("primary") or []
            nim = e.get("not_in_mix") or []
            for t in [*prim, *nim]:
                if t not in ids:
                    problems.append(f"{tag} / {name}: unknown type id {t!r}")
            if set(prim) & set(nim):
                problems.append(f"{tag} / {name}: a type is both primary and not_in_mix")
            for t in prim:
                primaries[t] = primaries.get(t, 0) + 1
            # warning flag
            warn = e.get("warning")
            if warn:
                stats["warn"] += 1
            if abs(ratio - 1) <= BORDER:
                problems.append(f"{tag} / {name}: expected type {exp_t} is borderline "
                                f"(cost/budget {ratio:.2f})")
            should_warn = ratio > 1
            if warn is not should_warn:
                problems.append(f"{tag} / {name}: warning={warn} but expected type {exp_t} "
                                f"costs {ratio:.2f}x the budget")
            # primaries
            if prim and not any(costs[t] <= budget for t in prim if t in costs):
                problems.append(f"{tag} / {name}: no primary type is within budget")
            for t in prim:
                if t in types and not set(types[t]["fit"]["channels"]) & set(chans):
                    problems.append(f"{tag} / {name}: primary {t} has none of the segment's "
                                    f"channels {chans}")
                if t in costs and costs[t] > budget:
                    notes.append(f"{tag} / {name}: primary {t} is over budget "
                                 f"({costs[t] / budget:.2f}x); another primary must carry it")
            fb_type = meta.get("mix", {}).get("fallback_type")
            for t in nim:
                if t == fb_type and t in costs:
                    # the fallback type may enter the mix for only a share of the
                    # customers; even its cheapest share must be clearly over budget
                    fb = fallback_cost(types, t, n, market, cx)
                    if fb <= budget * (1 + BORDER):
                        problems.append(f"{tag} / {name}: not_in_mix {t} could still serve as a "
                                        f"human fallback (cheapest fallback {fb / budget:.2f}x "
                                        f"the budget)")
                if t in costs and costs[t] <= budget:
                    problems.append(f"{tag} / {name}: not_in_mix {t} is affordable "
                                    f"({costs[t] / budget:.2f}x)")
                elif t in costs and costs[t] <= budget * (1 + BORDER):
                    problems.append(f"{tag} / {name}: not_in_mix {t} is borderline "
                                    f"({costs[t] / budget:.2f}x)")
            if warn and exp_t not in nim:
                notes.append(f"{tag} / {name}: warning case without the expected type "
                             f"{exp_t} in not_in_mix")
            # horizon
            if e.get("horizon") not in HORIZONS:
                problems.append(f"{tag} / {name}: horizon {e.get('horizon')!r} invalid")
            elif e["horizon"] != horizon:
                problems.append(f"{tag} / {name}: horizon {e['horizon']} but the rule "
                                f"gives {horizon}")
            stats[horizon] += 1
            if model in prim:
                stats["model_agrees"] += 1
            else:
                notes.append(f"{tag} / {name}: rough model would pick {model}, "
                             f"case says {prim}")

    print("\n==== summary")
    print(f"files: {stats['files']} (with several segments: {stats['multi']}); "
          f"segments: {stats['segments']}")
    print(f"warning: true on {stats['warn']} segments; horizon long_term "
          f"{stats['long_term']}, transactional {stats['transactional']}")
    print(f"market b2c {stats['b2c']}, b2b {stats['b2b']}; complexity "
          + ", ".join(f"{k} {v}" for k, v in cx_count.items())
          + f"; segments with a restricted channel list: {stats['restricted_channels']}")
    print("expectations: " + ", ".join(f"{SHORT[k]} {v}" for k, v in sorted(expectations.items())))
    print("listed as primary: " + ", ".join(f"{SHORT[k]} {v}" for k, v in sorted(primaries.items())))
    print(f"rough scoring model picks a listed primary in {stats['model_agrees']}/"
          f"{stats['segments']} segments (information only)")
    if notes:
        print(f"\nnotes ({len(notes)}):")
        for n_ in notes:
            print("  - " + n_)
    if problems:
        print(f"\nPROBLEMS ({len(problems)}):")
        for p in problems:
            print("  - " + p)
        return 1
    print("\nOK: every case is consistent with the cost model.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
