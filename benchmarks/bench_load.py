"""N concurrent sessions open the Kaart, each with its own weights, against one running server.

Set-up (not timed): cbs-mirror, the disk cache filled with ``python -m data fetch`` (Zaanstad + Amsterdam,
2024, wijk), ``streamlit run serve.py`` (what ``make run`` starts), and one warm-up session (the server's shared caches then hold
the frames, as on a council evening after the presenter opened the link).

Timed, per session: from sending ``rerun_script`` over Streamlit's websocket (``benchmarks/_stclient.py``,
Streamlit's own protobuf classes) until ``script_finished``. All N sessions connect and send at once; each
has its own ``w=`` (weights), so no two sessions ask for the same composite. Errors: exception elements,
``st.error`` alerts, "page not found", timeouts. Memory: the server's RSS (``/proc/<pid>/status``) with all
N sessions still connected, and the increase over the RSS after the warm-up divided by N. CPU: the server's
user + system time (``/proc/<pid>/stat``) from the first send until every run has finished, divided by N.

    load: N=30 p50=..s p95=..s errors=0 rss=..MB per_session=..MB

N = 1 is run three times one after the other (its p50 is the single-session time); the goal is
p95(N=30) <= 10 x p50(N=1) with 0 errors. The ``load floor:`` line turns the measured CPU per run into the
earliest moment any schedule on this machine's cores could end the p95 run of 30 started together
(``p95_floor``); when that floor is above 10 x p50(N=1), the goal cannot be met by making the server wait less,
only by a run costing less CPU than a lone run's wall time by a wide margin, or by more cores.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import _mirror
from benchmarks._stclient import open_page
from indicators import registry

REPO = Path(__file__).resolve().parents[1]
GEMEENTEN = ("GM0479", "GM0363")
DOMAINS = tuple(registry.DOMAINS)  # every domain a view can weigh (gezondheid included), from the registry
LEVELS = (1, 10, 30)
GOAL_RATIO = 10.0


def query_for(i: int) -> str:
    """Session i's own view: both gemeenten, wijk level, a weight 1..5 on one domain and 2 on another."""
    a, b = DOMAINS[i % len(DOMAINS)], DOMAINS[(i // len(DOMAINS) + 1 + i) % len(DOMAINS)]
    weights = {a: 1 + (i % 5), b: 2} if a != b else {a: 1 + (i % 5)}
    if all(v == 1 for v in weights.values()):
        weights[a] = 3
    w = ",".join(f"{k}:{v}" for k, v in sorted(weights.items()))
    return f"gm={','.join(GEMEENTEN)}&year=2024&level=wijk&w={w}"


def rss_mb(pid: int) -> float:
    """Resident set size of process ``pid`` plus its children (a streamlit server is one process)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process ``pid`` has used so far (``/proc/<pid>/stat``, all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cores() -> int:
    """CPUs this process may run on (the server and this client share them)."""
    return len(os.sched_getaffinity(0))


def p95_floor(cpu_per_run: float, n: int, p: int) -> float:
    """Seconds before which no schedule on ``p`` cores can end the p95-rank run of ``n`` runs started together,
    each needing ``cpu_per_run`` CPU seconds (runs of one page alike in cost; the measured average): when the
    k-th run ends, it and the k-1 before it have used k x c of CPU, which ``p`` cores cannot supply in less than
    k x c / p (k = the nearest-rank position of p95, 29 of 30)."""
    k = percentile(list(range(1, n + 1)), 95)  # the rank ``percentile`` reads the p95 from
    return k * cpu_per_run / p


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


async def _level(url: str, pids: tuple[int, ...], n: int, offset: int) -> dict:
    """N sessions at once against the server processes ``pids`` (one, or the replicas behind nginx)."""
    cpu0 = sum(cpu_seconds(p) for p in pids)
    hold = asyncio.Event()
    ran = [asyncio.Event() for _ in range(n)]
    tasks = [asyncio.create_task(open_page(url, query_for(offset + i), hold=hold, ran=ran[i])) for i in range(n)]
    # Each session either finishes its run (then waits on `hold`, still connected) or fails (task done).
    waiters = [asyncio.create_task(ev.wait()) for ev in ran]
    for task, waiter in zip(tasks, waiters):
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    rss = sum(rss_mb(p) for p in pids)  # all N sessions alive on the server
    cpu = sum(cpu_seconds(p) for p in pids) - cpu0
    hold.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for w in waiters:
        w.cancel()
    times, errors = [], []
    for r in results:
        if isinstance(r, BaseException):
            errors.append(f"{type(r).__name__}: {r}")
            continue
        errors += r.errors
        if r.finished:
            times.append(r.seconds)
        else:
            errors.append("run did not finish")
    return {"n": n, "times": times, "errors": errors, "rss": rss, "cpu": cpu / n}


async def _run_all(url: str, pid: int) -> list[dict]:
    results = []
    warm = await open_page(url, query_for(999))
    if warm.errors or not warm.finished:
        raise RuntimeError(f"warm-up session failed: {warm.errors[:3]}")
    base_rss = rss_mb(pid)
    singles = []
    for k in range(3):
        r = await _level(url, (pid,), 1, 100 + k)
        singles.append(r)
    results.append(
        {
            "n": 1,
            "times": [t for r in singles for t in r["times"]],
            "cpu": statistics.median(r["cpu"] for r in singles),
            "errors": [e for r in singles for e in r["errors"]],
            "rss": max(r["rss"] for r in singles),
        }
    )
    offset = 200
    for n in LEVELS[1:]:
        results.append(await _level(url, (pid,), n, offset))
        offset += n
    for r in results:
        r["base_rss"] = base_rss
    return results


def _replicas_n30(env: dict, tmp_path: Path) -> dict | None:
    """The N=30 level again through nginx in front of two replicas (deploy/run-replicas.sh), if nginx exists."""
    import signal
    import time
    import urllib.request

    if not Path("/usr/sbin/nginx").exists():
        return None
    nginx_port = _mirror.free_port()
    base = _mirror.free_port_range(2, avoid=(nginx_port,))
    renv = dict(
        env,
        REPLICAS="2",
        BASE_PORT=str(base),
        NGINX_PORT=str(nginx_port),
        READONLY="0",
        RUN_DIR=str(tmp_path / "run"),
        PYTHON=sys.executable,
        STAPELKAART_USERSTORE_DIR=str(tmp_path / "userstore"),
    )
    proc = subprocess.Popen(
        ["bash", str(REPO / "deploy" / "run-replicas.sh")],
        cwd=REPO,
        env=renv,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{nginx_port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("deploy/run-replicas.sh did not start")
            time.sleep(0.3)
        pids = [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]

        async def go() -> dict:
            for k in range(4):  # warm both replicas' st.cache_data (random replica each)
                await open_page(url, query_for(900 + k))
            return await _level(url, tuple(pids), LEVELS[-1], 500)

        return asyncio.run(go())
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)


def measure() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cache = tmp_path / "cache"
        with _mirror.running(tmp_path, cache_dir=cache) as mirror_url:
            env = dict(
                os.environ,
                STAPELKAART_CBS_URL=mirror_url,
                STAPELKAART_PDOK_URL=mirror_url,
                STAPELKAART_CACHE_DIR=str(cache),
            )
            subprocess.run(
                [sys.executable, "-m", "data", "fetch", "--gemeente", *GEMEENTEN, "--year", "2024", "--level", "wijk"],
                cwd=REPO,
                env=env,
                check=True,
                capture_output=True,
                timeout=300,
            )
            proc, url = _mirror.start_streamlit(_mirror.USER_ENTRY, env)  # serve.py, as make run starts it
            try:
                results = asyncio.run(_run_all(url, proc.pid))
            finally:
                proc.terminate()
                proc.wait(15)
            replicated = _replicas_n30(env, tmp_path)
            if replicated is not None:
                replicated.update(base_rss=float("nan"), replicas=2)
                results.append(replicated)
            return results


def main() -> None:
    results = measure()
    single = statistics.median(results[0]["times"]) if results[0]["times"] else float("nan")
    last = next(r for r in results if "replicas" not in r and r["n"] == LEVELS[-1])
    for r in results:
        times = r["times"] or [float("nan")]
        if "replicas" in r:
            print(
                f"load (2 replicas behind nginx, deploy/run-replicas.sh): N={r['n']} p50={statistics.median(times):.2f}s "
                f"p95={percentile(times, 95):.2f}s errors={len(r['errors'])} rss={r['rss']:.0f}MB (both replicas) "
                f"p95 / p50(N=1) = {percentile(times, 95) / single:.1f}; server CPU {r['cpu'] * 1000:.0f} ms per run, "
                f"floor on {cores()} cores {p95_floor(r['cpu'], r['n'], cores()):.2f} s"
            )
            continue
        p50, p95 = statistics.median(times), percentile(times, 95)
        per = (r["rss"] - r["base_rss"]) / r["n"]
        print(
            f"load: N={r['n']} p50={p50:.2f}s p95={p95:.2f}s errors={len(r['errors'])} rss={r['rss']:.0f}MB "
            f"per_session={per:.1f}MB" + (" (3 sessions one after the other)" if r["n"] == 1 else "")
        )
        for e in sorted(set(r["errors"]))[:3]:
            print(f"load:   error: {e[:160]}")
    ratio = percentile(last["times"] or [float("nan")], 95) / single
    ok = ratio <= GOAL_RATIO and not last["errors"]
    serial = percentile(last["times"] or [float("nan")], 95) / (last["n"] * single)
    print(
        f"load ratio: p95(N={last['n']}) / p50(N=1) = {ratio:.1f} (goal <= {GOAL_RATIO:.0f}, 0 errors: "
        f"{'met' if ok else 'NOT met'}); p95 / (N x p50(N=1)) = {serial:.2f} (1.00 = the runs take turns on one "
        f"interpreter); server RSS after warm-up {last['base_rss']:.0f}MB"
    )
    # Why the goal cannot be met by a burst on this machine: the floor any schedule has, from the CPU measured.
    p, n = cores(), last["n"]
    floor = p95_floor(last["cpu"], n, p)
    print(
        f"load floor: server CPU per run {results[0]['cpu'] * 1000:.0f} ms alone (wall p50 {single * 1000:.0f} ms), "
        f"{last['cpu'] * 1000:.0f} ms each when {n} run at once; on {p} cores no schedule ends the p95 run "
        f"before {floor:.2f} s = {floor / single:.1f} x p50(N=1) (a floor {'above' if floor / single > GOAL_RATIO else 'below'} "
        f"the goal of {GOAL_RATIO:.0f} x, even with every core serving)"
    )


if __name__ == "__main__":
    main()
