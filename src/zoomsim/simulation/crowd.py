"""Made-up but plausible attendance, the same for the same seed: who comes, when they join and
leave, who dials in, and what they answer. Shared by the one-call meeting run and the bulk
history generator, so both produce the same shape of data."""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

FIRST = ("Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam",
         "Maya", "Nils", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Victor", "Wen", "Yusuf")
LAST = ("Abe", "Brooks", "Costa", "Diaz", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen",
        "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Patel", "Rossi", "Silva", "Tanaka", "Weber")
DEVICES = ("Windows", "Mac", "iOS", "Android", "Web", "Linux")
LOCATIONS = ("New York (US)", "London (GB)", "Berlin (DE)", "Tokyo (JP)", "Sydney (AU)", "Sao Paulo (BR)")


@dataclass(frozen=True, slots=True)
class Person:
    index: int
    name: str
    email: str
    device: str
    location: str
    phone: str


@dataclass(frozen=True, slots=True)
class Visit:
    """One session: seconds from the meeting's start to joining and to leaving."""

    person: int
    join: int
    leave: int


def people(rng: random.Random, count: int, dial_share: float, domain: str = "example.com") -> list[Person]:
    phones = set(rng.sample(range(count), round(count * dial_share))) if count and dial_share > 0 else set()
    out = []
    for i in range(count):
        first, last = FIRST[rng.randrange(len(FIRST))], LAST[rng.randrange(len(LAST))]
        phone = f"+1 555 01{rng.randrange(10_000):04d}" if i in phones else ""
        out.append(Person(i, f"{first} {last}", "" if phone else f"{first}.{last}.{i}@{domain}".lower(),
                          "Phone" if phone else DEVICES[rng.randrange(len(DEVICES))],
                          LOCATIONS[rng.randrange(len(LOCATIONS))], phone))
    return out


def visits(rng: random.Random, count: int, seconds: int) -> list[Visit]:
    """Most people arrive in the first few minutes and stay; some leave early; a few of those
    come back once. Sorted by join time."""
    out: list[Visit] = []
    for i in range(count):
        join = int(seconds * 0.2 * rng.random() ** 2)
        if rng.random() < 0.3 and seconds - join > 120:
            leave = rng.randint(join + 60, seconds - 30)
            out.append(Visit(i, join, leave))
            if rng.random() < 0.3 and seconds - leave > 90:
                back = rng.randint(leave + 30, seconds - 30)
                out.append(Visit(i, back, seconds))
        else:
            out.append(Visit(i, join, seconds))
    out.sort(key=lambda v: (v.join, v.person))
    return out


def answer_for(rng: random.Random, question: dict[str, Any]) -> Any:
    """A valid answer to one poll or survey question."""
    kind = str(question.get("type") or "single")
    choices = [str(a) for a in question.get("answers") or []] or ["Yes"]
    if kind == "single":
        return rng.choice(choices)
    if kind == "multiple":
        return rng.sample(choices, rng.randint(1, len(choices)))
    if kind in ("short_answer", "long_answer"):
        low = int(question.get("answer_min_character") or 1)
        return ("Sounds good " * (low // 12 + 1)).strip()[: max(low, 11)]
    if kind == "rating_scale":
        return rng.randint(int(question.get("rating_min_value") or 0), int(question.get("rating_max_value") or 10))
    if kind in ("matching", "rank_order"):
        prompts = [str(p.get("prompt_question")) for p in question.get("prompts") or [] if isinstance(p, dict)]
        return {p: rng.choice(choices) for p in prompts}
    return ["answer"] * max(1, len(question.get("right_answers") or []))
