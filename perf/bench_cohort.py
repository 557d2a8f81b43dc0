"""Time of a coaching organisation's cohort view with 10,000 generated scans.

    nice -n 5 .venv/bin/python perf/bench_cohort.py [--scans 10000] [--reps 15]

Sets up a throwaway SQLite database (perf/common.py's sandbox, as the other perf/ scripts) and
generates, straight into the database with bulk_create, one coaching organisation (Bram's
"Leerwerk Advies") whose clients hold `--scans` finished scans: two thirds of the scans are
intakes (t0), and half of the clients have a finished follow-up (t1); every scan answers every
core statement (six building blocks, five DLOQ statements); about half allow research use; the
clients have a mix of Box 5.2 wishes and a third have training questions. Logged in as the coach,
it measures in-process with django.test.Client:

  cold       GET /coaching/cohort/ with nothing kept (the cache emptied before each request):
             the latest round of every client, the answers aggregated by the database, the
             change since the intake, the bundled demand -> the whole HTML page
  changed    the same right after a change to a client (its updated_at moved before each
             request): the last figures, marked as such, and the refresh asked of the worker
  cohort     the same while nothing changed: the figures kept under the cohort's version
  filtered   GET /coaching/cohort/?sector=zd&provincie=groningen, cold and kept
  queries    the number of database queries of each (must not grow with the clients)

and prints medians, p90 and the CPU time. Aim (issue 11): the cohort view under 300 ms with
10,000 scans. Measured, never asserted.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402 (after the path tweak that lets perf/ scripts find it)

COHORT_AIM_MS = 300
CLIENT_PROFILES = common.NORTHERN_PROFILES


def cohort_generate(
    adviser, scans: int, *, seed: int = 11, consent_share: float = 0.5
) -> dict[str, int]:
    """Clients of the adviser's organisation with `scans` finished scans in all (intakes, and a
    follow-up for every second client), answers on every core statement, written in bulk."""
    import random

    from django.utils import timezone

    from benchmarks.models import BenchmarkSet
    from benchmarks.vocabulary import KNOWLEDGE_INSTITUTION_WISHES
    from leerscan.coaching.models import Client, ClientWish, Measurement
    from leerscan.scans.models import Item, ItemAnswer, ItemBank, Scan

    rng = random.Random(seed)  # noqa: S311 (generated test data, not a secret)
    bank = ItemBank.objects.order_by("-loaded_at", "-id").first()
    benchmark_set = BenchmarkSet.objects.order_by("-pk").first()
    items = list(Item.objects.filter(bank=bank, role=Item.Role.CORE))
    clients_count = (scans * 2 + 2) // 3  # every second client has two rounds
    now = timezone.now()
    profiles = [rng.choice(CLIENT_PROFILES) for _ in range(clients_count)]
    wishes = list(KNOWLEDGE_INSTITUTION_WISHES)
    clients = Client.objects.bulk_create(
        (
            Client(
                organisation=adviser.organisation,
                created_by=adviser,
                name=f"Klant {n}",
                contact_name=f"Contact {n}",
                contact_email=f"klant{n}@example.nl",
                sbi_section=section,
                employees=employees,
                province=province,
                training_questions=f"Scholingsvraag {n}" if n % 3 == 0 else "",
            )
            for n, (section, employees, province) in enumerate(profiles)
        ),
        batch_size=1000,
    )
    rounds = [(client, profile, 0) for client, profile in zip(clients, profiles, strict=True)]
    rounds += [(c, p, 1) for c, p, _r in rounds[::2]]
    rounds = rounds[:scans]
    made = Scan.objects.bulk_create(
        (
            Scan(
                context=Scan.Context.COACHING,
                item_bank=bank,
                benchmark_set=benchmark_set,
                organisation_name=client.name,
                sbi_section=section,
                employees=employees,
                province=province,
                respondent_role="eigenaar",
                consent_at=now,
                research_consent_at=now if rng.random() < consent_share else None,
                furthest_step=7,
                answers_version=1,
                finished_at=now,
            )
            for client, (section, employees, province), _round in rounds
        ),
        batch_size=1000,
    )
    Measurement.objects.bulk_create(
        (
            Measurement(client=client, round=number, scan=scan)
            for (client, _profile, number), scan in zip(rounds, made, strict=True)
        ),
        batch_size=1000,
    )
    ItemAnswer.objects.bulk_create(
        (
            ItemAnswer(scan=scan, item=item, value=rng.randint(1, 6))
            for scan in made
            for item in items
        ),
        batch_size=5000,
    )
    ClientWish.objects.bulk_create(
        (
            ClientWish(client=client, key=key)
            for client in clients
            for key in rng.sample(wishes, rng.randint(0, 3))
        ),
        batch_size=5000,
    )
    return {"clients": len(clients), "scans": len(made), "items_per_scan": len(items)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scans", type=int, default=10_000, help="finished scans to generate")
    parser.add_argument("--reps", type=int, default=15, help="requests per measurement (5-100)")
    args = parser.parse_args()
    sandbox = common.make_sandbox()
    try:
        print(f"before: {common.load_note()}")
        common.prepare_database(sandbox)
        common.use_sandbox_here(sandbox)
        return run(args.scans, max(5, min(args.reps, 100)))
    finally:
        sandbox.remove()


def run(scans: int, reps: int) -> int:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from leerscan.advisers.services import adviser_create

    adviser = adviser_create(
        email="bram@leerwerk-advies.nl", organisation_name="Leerwerk Advies", password=None
    )
    began = time.perf_counter()
    generated = cohort_generate(adviser, scans)
    print(f"generated {generated} in {time.perf_counter() - began:.1f} s")
    client = Client()
    client.force_login(adviser.user)

    from django.core.cache import cache
    from django.utils import timezone

    from leerscan.coaching.models import Client as CoachingClient

    touched = CoachingClient.objects.filter(organisation=adviser.organisation).first()

    def measure(url: str, *, cold: bool = False, changed: bool = False) -> tuple[dict, dict, int]:
        assert client.get(url).status_code == 200  # warm-up: templates, the benchmark set
        wall, cpu = [], []
        for _ in range(reps):
            if cold:
                cache.clear()  # nothing kept at all: the figures are made while the coach waits
            if changed:  # a client edited: the last figures are shown, the worker is asked
                CoachingClient.objects.filter(pk=touched.pk).update(updated_at=timezone.now())
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            assert response.status_code == 200
        if cold:
            cache.clear()
        if changed:
            CoachingClient.objects.filter(pk=touched.pk).update(updated_at=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return common.summary_ms(wall), common.summary_ms(cpu), len(queries)

    print(f"machine: {common.machine()}")
    results: dict = {"generated": generated}
    floor_ms, floor_cpu, floor_queries = measure("/coaching/cohort/?sector=zd&grootte=200%2B")
    # "changed" last: the sandbox runs no worker, so after it the figures stay the last ones.
    for name, url, cold, changed in (
        ("cold", "/coaching/cohort/", True, False),
        ("cohort", "/coaching/cohort/", False, False),
        ("filtered cold", "/coaching/cohort/?sector=zd&provincie=groningen", True, False),
        ("filtered", "/coaching/cohort/?sector=zd&provincie=groningen", False, False),
        ("changed", "/coaching/cohort/", False, True),
    ):
        wall, cpu, queries = measure(url, cold=cold, changed=changed)
        results[name] = {"wall_ms": wall, "cpu_ms": cpu, "queries": queries}
        print(
            f"{name:>9}: median {wall['median_ms']:6.1f} ms (p90 {wall['p90_ms']:6.1f}, "
            f"CPU {cpu['median_ms']:6.1f}, {queries} queries)"
        )
    results["empty_filter"] = {"wall_ms": floor_ms, "cpu_ms": floor_cpu, "queries": floor_queries}
    print(
        f"empty filter (no client matches; the page's floor): median "
        f"{floor_ms['median_ms']:6.1f} ms ({floor_queries} queries)"
    )
    ratio = results["cohort"]["wall_ms"]["median_ms"] / max(floor_ms["median_ms"], 0.1)
    print(f"ratio cohort / empty filter: {ratio:.1f}x")
    cold = results["cold"]["wall_ms"]["median_ms"]
    print(f"ratio cold / kept: {cold / max(results['cohort']['wall_ms']['median_ms'], 0.1):.1f}x")
    for name in ("cohort", "changed", "cold"):
        median = results[name]["wall_ms"]["median_ms"]
        print(
            common.aim_line(
                f"cohort view ({name}) under {COHORT_AIM_MS} ms with {generated['scans']} scans",
                median < COHORT_AIM_MS,
                f"{median:.0f} ms (CPU {results[name]['cpu_ms']['median_ms']:.0f} ms)",
            )
        )
    print(f"after: {common.load_note(warn=False)}")
    common.save_results("bench_cohort", results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
