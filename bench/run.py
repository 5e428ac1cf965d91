#!/usr/bin/env python3
"""reportgen's benchmark: cold builds of synthetic reports next to Hugo, mdBook and Zola, and the report itself.

    python3 bench/run.py                      # everything (about 10-15 minutes on 2 cores)
    python3 bench/run.py --sizes 1,100 --reps 5 --tools reportgen,hugo

For each size it generates the same bodies for every tool (bench/gen_corpus.py; see corpus.py
for the reportgen site around them), with and without code blocks, and builds them cold
(into a directory that does not exist yet, after a `sync`; see Outputs for where) with output
on disk and on tmpfs. Runs are
interleaved tool by tool within each repetition, so the machine's drift hits all tools alike.
Each run's site is checked (every page written, highlighted, cross-linked); a wrong site stops
the benchmark instead of reporting a time. Every build runs under `timed` (timed.rs): wall
time from spawning the process to reaping it, peak memory its maximum RSS from wait4().

The floor is the time `floor.rs` takes to write reportgen's output bytes (same files, sizes
and directories) to the same filesystem with one thread per core, plus reportgen's
highlighting CPU (from `build --timings`) divided over the cores. It is read two ways: with
reportgen's own highlighting CPU (its line memo makes repeated lines nearly free), and with
syntect's, from one more reportgen build per repetition with the memo off
(REPORTGEN_HIGHLIGHT_MEMO=0), checked like every other.

Prints a Markdown table (also written to bench/work/results.md; every run in results.json).
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import corpus  # noqa: E402
import zola  # noqa: E402

TIMED = None  # the launcher (bench/timed.rs), compiled into the work directory by main()
DEFAULT_REPS = {1: 15, 100: 10, 1000: 5, 10000: 3}
TIMING_LINE = re.compile(r"^\s+(\w+)\s+([\d.]+) ms")
BUILT_LINE = re.compile(r"built (\d+) pages \((\d+) files")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ running


def spawn_timed(cmd, log_path):
    """Runs cmd with stdout+stderr to log_path; returns (exit code, wall s, peak RSS KiB, CPU s).

    The command runs under `timed` (bench/timed.rs), a small launcher that takes the wall time
    from just before spawning the command to just after reaping it, and its peak RSS and CPU
    from wait4(): the figures are the command's own, without Python's or any other process's
    start-up in them. (A child spawned straight from Python would also report Python's own RSS
    as its floor: the memory it ran in before exec counts towards its maximum.)"""
    done = subprocess.run([TIMED, log_path] + cmd, stdout=subprocess.PIPE, check=True, text=True)
    wall, rss, user, system, code = done.stdout.split()
    return int(code), float(wall), int(rss), float(user) + float(system)


def remove(path):
    if os.path.islink(path) or os.path.isfile(path):
        os.remove(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)


DELETED_STAMP = "last-delete"


def note_deleted(work):
    """Records when this harness last deleted files on the disk (see `wait_for_quiet_disk`)."""
    with open(os.path.join(work, DELETED_STAMP), "w", encoding="utf-8") as fh:
        fh.write("%f\n" % time.time())


def wait_for_quiet_disk(work, quiet):
    """Waits until `quiet` seconds have passed since this harness last deleted files on the disk.

    ext4 without a journal passes over inodes deleted in the last minutes when it allocates new
    ones (see Outputs), so builds on disk soon after a large delete, such as the previous run's
    cleanup, pay a kernel-side scan for every file they create: measured on the report, a third
    of its CPU two minutes after a full run's cleanup, under 1% five minutes after."""
    try:
        with open(os.path.join(work, DELETED_STAMP), encoding="utf-8") as fh:
            since = time.time() - float(fh.read().strip())
    except (OSError, ValueError):
        return
    if since < quiet:
        log("waiting %.0f s: the disk still passes over the files this harness deleted %.0f s ago" % (quiet - since, since))
        time.sleep(quiet - since)


def clean(out):
    """Removes an output directory and anything a tool staged beside it, then flushes the disk."""
    remove(out)
    parent, base = os.path.split(out)
    if os.path.isdir(parent):
        for name in os.listdir(parent):
            if name.startswith("." + base + "."):
                remove(os.path.join(parent, name))
    os.sync()


class Outputs:
    """Where each run writes.

    `disk`: every run gets a new directory of its own under bench/work/out, and nothing is
    deleted there until the benchmark ends. On ext4 without a journal (this machine's disk),
    the inode allocator passes over inodes deleted in the last few seconds (minutes, while
    their inode table block is dirty), one buffer lookup each, so creating files soon after a
    site was deleted nearby costs every tool a kernel-side scan that grows with how much was
    deleted (writing the 1,000-chapter site's files: 0.04 s quiet, 0.4-0.8 s after such a
    delete). On ext4, bench/work/out is marked `chattr +T`, so that the allocator places each
    run's directory as the top of a tree, in a block group of its own, away from what earlier
    runs or the corpora left: the quiet disk, the same for every tool.
    `disk-rm`: one path per tool on the same disk, removed (then `sync`) just before each run:
    the loaded case, kept to show that effect.
    `tmpfs`: one path per tool under /dev/shm, removed before each run (memory, no such effect).
    The disk is synced before every run in every mode, so no run pays for another's writeback."""

    def __init__(self, roots):
        self.roots, self.count = roots, 0

    def fresh(self, fs, name):
        if fs == "disk":
            # A name never used before: nothing to remove, only the disk to flush.
            self.count += 1
            out = os.path.join(self.roots[fs], "%05d-%s" % (self.count, name))
            os.sync()
        else:
            out = os.path.join(self.roots[fs], name)
            clean(out)
        return out

    def done(self, fs, out):
        if fs != "disk":
            clean(out)


class Failure(Exception):
    pass


# ------------------------------------------------------------------ checks


def read(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except FileNotFoundError:
        raise Failure("missing page %s" % path) from None


def count_html(out):
    return sum(1 for _, _, files in os.walk(out) for f in files if f.endswith(".html"))


def check_reportgen(out, meta, code):
    n, t, f, c = meta["chapters"], meta["tables"], meta["figures"], meta["companies"]
    slug = corpus.g.slug
    for i in range(1, n + 1):
        page = read(os.path.join(out, "chapters", slug(i), "index.html"))
        hl = page.count('<span class="lf')
        if code and hl == 0:
            raise Failure("chapter %d: code block not highlighted" % i)
        if not code and hl:
            raise Failure("chapter %d: highlighted code in the no-code corpus" % i)
        if 'class="ref ref-chapter" href="/chapters/%s/"' % slug(i % n + 1) not in page:
            raise Failure("chapter %d: cross-chapter link to %s missing" % (i, slug(i % n + 1)))
        b = (i * 7 + 3) % c
        if 'class="mention" href="/companies/%s/"' % corpus.cid(b) not in page:
            raise Failure("chapter %d: mention of %s not linked" % (i, meta["names"][b]))
        if 'class="ref ref-table" href="/tables/%s/"' % corpus.tid((i * 3) % t) not in page:
            raise Failure("chapter %d: table reference not linked" % i)
        if 'class="ref ref-figure" href="/figures/%s/"' % corpus.fid((i * 7) % f) not in page:
            raise Failure("chapter %d: figure reference not linked" % i)
        for k in range(t):
            if corpus.table_home(k) == i and 'id="table-%s"' % corpus.tid(k) not in page:
                raise Failure("chapter %d: table %s not placed" % (i, corpus.tid(k)))
        for k in range(f):
            if corpus.figure_home(k, n) == i and 'id="figure-%s"' % corpus.fid(k) not in page:
                raise Failure("chapter %d: figure %s not placed" % (i, corpus.fid(k)))
    for k in range(t):
        read(os.path.join(out, "tables", corpus.tid(k), "index.html"))
    for k in range(f):
        read(os.path.join(out, "figures", corpus.fid(k), "index.html"))
    for k in range(c):
        page = read(os.path.join(out, "companies", corpus.cid(k), "index.html"))
        if 'href="/chapters/%s/#%s-r' % (slug(k + 1), slug(k + 1)) not in page:
            raise Failure("company %s: backlink to %s missing" % (corpus.cid(k), slug(k + 1)))
    return count_html(out)


def check_chapters(tool, out, meta, code, page, link, has_code, what="highlighting"):
    """Another tool's chapter pages: each at `page(slug)` under `out`, with its cross-chapter
    link to `link(next slug)`, and with code (`has_code(page text)`) only in the code corpus."""
    n, slug = meta["chapters"], corpus.g.slug
    for i in range(1, n + 1):
        text = read(os.path.join(out, page(slug(i))))
        if ('자세한 내용은 <a href="%s"' % link(slug(i % n + 1))) not in text:
            raise Failure("%s chapter %d: cross-chapter link missing" % (tool, i))
        if code != has_code(text):
            raise Failure("%s chapter %d: %s is %s" % (tool, i, what, "missing" if code else "unexpected"))
    return count_html(out)


def check_hugo(out, meta, code):
    return check_chapters(
        "hugo", out, meta, code, lambda s: os.path.join("chapters", s, "index.html"), lambda s: "/chapters/%s/" % s, lambda t: '<div class="highlight">' in t
    )


def check_zola(out, meta, code):
    return check_chapters(
        "zola",
        out,
        meta,
        code,
        lambda s: os.path.join("chapters", s, "index.html"),
        lambda s: "https://example.org/chapters/%s/" % s,
        lambda t: '<pre data-lang="' in t and '<span style="color:' in t,
    )


def check_mdbook(out, meta, code):
    # mdBook highlights in the browser: its pages only carry the code block.
    return check_chapters(
        "mdbook", out, meta, code, lambda s: s + ".html", lambda s: "%s.html" % s, lambda t: '<code class="language-' in t, what="code block"
    )


# ------------------------------------------------------------------ tools


class Tool:
    def __init__(self, name, cmd, check):
        self.name, self.cmd, self.check = name, cmd, check


def parse_timings(text):
    return {m.group(1): float(m.group(2)) for m in map(TIMING_LINE.match, text.splitlines()) if m}


def run_once(tool, src, out, meta, code, logs):
    """One cold, checked build into `out` (absent); returns a result dict."""
    if tool.name == "hugo":
        remove(os.path.join(src, "resources"))
    log_path = os.path.join(logs, tool.name + ".log")
    rc, wall, rss, cpu = spawn_timed(tool.cmd(src, out), log_path)
    with open(log_path, encoding="utf-8", errors="replace") as fh:
        text = fh.read()
    if rc != 0:
        raise Failure("%s exited %d:\n%s" % (tool.name, rc, text[-3000:]))
    pages = tool.check(out, meta, code)
    result = {"wall": wall, "rss": rss / 1024.0, "cpu": cpu, "pages": pages, "timings": parse_timings(text)}
    if tool.name == "zola":
        # Zola's own build time: the process's wall time also holds Node's start-up (see zola.py).
        own = zola.own_time(text)
        if own is None:
            raise Failure("zola printed no `Done in` line:\n" + text[-3000:])
        result["process_wall"], result["wall"] = wall, own
    return result


def run_floor(floor_bin, snap, out, cores, logs):
    log_path = os.path.join(logs, "floor.log")
    rc = spawn_timed([floor_bin, snap, out, str(cores)], log_path)[0]
    text = open(log_path, encoding="utf-8").read()
    if rc != 0:
        raise Failure("floor exited %d: %s" % (rc, text))
    secs, files, dirs, nbytes = text.split()
    return {"wall": float(secs), "files": int(files), "bytes": int(nbytes)}


# ------------------------------------------------------------------ machine


def sh(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine(work, shm):
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))

    def fs(path):
        first = (sh(["findmnt", "-n", "-o", "FSTYPE,SOURCE", "-T", path]) or "?").splitlines()[0]
        desc = " on ".join(first.split())
        parts = first.split()
        if len(parts) == 2 and parts[0] == "ext4":
            # jbd2's thread, or "<none>": ext4 without a journal (see Outputs).
            task = os.path.join("/sys/fs/ext4", os.path.basename(parts[1]), "journal_task")
            if os.path.exists(task):
                desc += " (no journal)" if open(task).read().strip() == "<none>" else " (journaled)"
        return desc

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram": "%.1f GiB" % (mem / 1024 / 1024),
        "disk": fs(work),
        "tmpfs": fs(shm),
        "kernel": platform.release(),
    }


def versions(binary, tools, zola_cmd):
    commit = sh(["git", "-C", REPO, "rev-parse", "--short", "HEAD"])
    if sh(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no", "--", "src", "Cargo.toml", "Cargo.lock", "themes"]):
        commit += " (modified)"
    v = {"reportgen": commit, "rustc": sh(["rustc", "--version"])}
    if "hugo" in tools:
        v["hugo"] = sh(["hugo", "version"]).split(" ")[0:2]
        v["hugo"] = " ".join(v["hugo"])
    if "mdbook" in tools:
        v["mdbook"] = sh(["mdbook", "--version"])
    if zola_cmd:
        v["zola"] = zola.version(zola_cmd)
    return v


# ------------------------------------------------------------------ report


def med(xs):
    return statistics.median(xs) if xs else None


def fmt_s(x):
    if x is None:
        return "–"
    return "%.3f" % x if x < 10 else "%.1f" % x


def fmt_pair(r):
    if not r:
        return "–"
    return "%s / %.0f" % (fmt_s(med([x["wall"] for x in r])), med([x["rss"] for x in r]))


def ratio(a, b):
    if not a or not b:
        return "–"
    return "%.2f×" % (med([x["wall"] for x in a]) / med([x["wall"] for x in b]))


OTHERS = {"hugo": "Hugo", "mdbook": "mdBook", "zola": "Zola 0.21"}


def summarize(results, cores, tools):
    """The README table: one row per size, corpus and filesystem."""
    others = [t for t in tools if t in OTHERS]
    head = ["chapters", "code", "output", "reportgen s / MiB"] + ["%s s / MiB" % OTHERS[t] for t in others]
    head += ["rg ÷ " + OTHERS[t] for t in others] + ["rg pages/s", "floor s (write + hl/cores)", "rg ÷ floor"]
    head += ["floor with syntect's cost s (write + hl/cores)", "rg ÷ it"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for (n, code, fs), r in results.items():
        rg = r.get("reportgen", [])
        row = ["{:,}".format(n), "yes" if code else "no", fs, fmt_pair(rg)]
        row += [fmt_pair(r.get(t, [])) for t in others]
        row += [ratio(rg, r.get(t, [])) for t in others]
        row.append("{:,.0f}".format(med([x["pages"] / x["wall"] for x in rg])) if rg else "–")
        floor = r.get("floor", [])

        def floor_cells(highlighted):
            """Floor and ratio: writing plus the highlighting CPU of `highlighted` over the cores.
            `--timings` sums the time threads spend inside the highlighter, which grows when the
            machine is busy; the least contended run is the fairest floor."""
            if not (floor and rg and highlighted):
                return ["–", "–"]
            write = med([x["wall"] for x in floor])
            hl = min(x["timings"].get("highlight", 0.0) for x in highlighted) / 1000.0
            total = write + hl / cores
            return ["%s (%s + %s)" % (fmt_s(total), fmt_s(write), fmt_s(hl / cores)), "%.2f×" % (med([x["wall"] for x in rg]) / total)]

        row += floor_cells(rg)
        # The same floor with the highlighting CPU of the memo-off builds: what syntect costs.
        row += floor_cells([x for x in r.get("syntect", []) if x["timings"].get("highlight")])
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def cpu_table(results, tools):
    """Process CPU seconds (user + system) and fastest wall times: what the machine's load disturbs least."""
    others = [t for t in tools if t in OTHERS]
    head = ["chapters", "code", "output", "rg CPU s"] + ["%s CPU s" % OTHERS[t] for t in others]
    head += ["rg ÷ %s CPU" % OTHERS[t] for t in others] + ["fastest wall s: rg"] + [OTHERS[t] for t in others]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for (n, code, fs), r in results.items():
        cpu = {t: med([x["cpu"] for x in r.get(t, [])]) for t in ["reportgen"] + others}
        row = ["{:,}".format(n), "yes" if code else "no", fs] + [fmt_s(cpu[t]) for t in ["reportgen"] + others]
        row += ["%.2f×" % (cpu["reportgen"] / cpu[t]) if cpu[t] and cpu["reportgen"] else "–" for t in others]
        row += [fmt_s(min(x["wall"] for x in r[t])) if r.get(t) else "–" for t in ["reportgen"] + others]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def timings_table(results, sizes):
    stages = ["load", "parse", "resolve", "render", "highlight", "write", "search", "commit", "total"]
    keys = [k for k in results if k[0] in sizes and results[k].get("reportgen")]
    if not keys:
        return ""
    head = ["stage (median ms)"] + ["%s %s %s" % ("{:,}".format(n), "code" if c else "no-code", fs) for n, c, fs in keys]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in stages:
        row = [s]
        for k in keys:
            row.append("%.1f" % med([x["timings"].get(s, 0.0) for x in results[k]["reportgen"]]))
        lines.append("| " + " | ".join(row) + " |")
    # Only on tmpfs: on disk, the process's CPU also holds the kernel's time writing back,
    # which varies between runs more than highlighting costs.
    split = [(n, fs) for n, code, fs in keys if code and fs == "tmpfs" and results.get((n, False, fs), {}).get("reportgen")]
    if split:
        lines.append("")
    for n, fs in split:
        with_code = med([x["cpu"] for x in results[(n, True, fs)]["reportgen"]])
        without = med([x["cpu"] for x in results[(n, False, fs)]["reportgen"]])
        lines.append(
            "- %s chapters, %s: process CPU %.2f s with code blocks, %.2f s without (highlighting ≈ %.2f s CPU, %.0f%%)"
            % ("{:,}".format(n), fs, with_code, without, with_code - without, 100 * (with_code - without) / with_code)
        )
    return "\n".join(lines)


# ------------------------------------------------------------------ main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1,100,1000,10000", help="chapter counts (default 1,100,1000,10000)")
    ap.add_argument("--reps", type=int, help="repetitions at every size (default 15/10/5/3 for 1/100/1000/10000)")
    ap.add_argument("--tools", default="reportgen,hugo,mdbook,zola", help="tools to run (default reportgen,hugo,mdbook,zola)")
    ap.add_argument("--corpora", default="code,nocode", help="code: bodies with their code block; nocode: without")
    ap.add_argument(
        "--fs",
        default="disk,tmpfs",
        help="where the output goes: disk (a new directory per run under bench/work/out), disk-rm (one path per tool, removed just before each run), tmpfs (/dev/shm)",
    )
    ap.add_argument("--mdbook-max", type=int, default=10000, help="largest size mdBook runs at (default 10000)")
    ap.add_argument("--mdbook-reps-large", type=int, default=1, help="mdBook repetitions at 10,000 and above; it is quadratic (default 1, code corpus on disk only)")
    ap.add_argument("--report-reps", type=int, default=25, help="cold builds of the repository's own report (0 skips)")
    ap.add_argument(
        "--disk-quiet",
        type=int,
        default=300,
        help="seconds to let pass after this harness last deleted on the disk before measuring there (default 300; 0 does not wait)",
    )
    ap.add_argument("--bin", help="reportgen binary to measure (default: cargo build --release, target/release/reportgen)")
    ap.add_argument("--work", default=os.path.join(HERE, "work"), help="corpora and disk output (default bench/work)")
    ap.add_argument("--shm", default="/dev/shm/reportgen-bench", help="tmpfs output directory")
    ap.add_argument("--from-json", metavar="FILE", nargs="+", help="print the tables of earlier runs' results.json (merged) and exit")
    args = ap.parse_args()
    if args.from_json:
        print(render(merge([load(f) for f in args.from_json])))
        return

    sizes = [int(s) for s in args.sizes.split(",") if s]
    tools = [t for t in args.tools.split(",") if t]
    corpora = [c == "code" for c in args.corpora.split(",")]
    filesystems = args.fs.split(",")
    cores = os.cpu_count()
    work, shm = os.path.abspath(args.work), args.shm
    os.makedirs(work, exist_ok=True)
    os.makedirs(shm, exist_ok=True)
    logs = os.path.join(work, "logs")
    os.makedirs(logs, exist_ok=True)

    binary = args.bin
    if not binary:
        log("building reportgen (release)…")
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        binary = os.path.join(REPO, "target", "release", "reportgen")
    binary = os.path.abspath(binary)
    floor_bin = os.path.join(work, "floor")
    subprocess.run(["rustc", "-O", "--edition", "2021", os.path.join(HERE, "floor.rs"), "-o", floor_bin], check=True)
    global TIMED
    TIMED = os.path.join(work, "timed")
    subprocess.run(["rustc", "-O", "--edition", "2021", os.path.join(HERE, "timed.rs"), "-o", TIMED], check=True)
    for t in tools:
        if t not in ("reportgen", "zola") and not shutil.which(t):
            raise SystemExit("%s not found: apt-get install hugo / cargo install mdbook --locked (see README.md, Performance)" % t)
    zola_cmd = zola.command(work) if "zola" in tools else None

    all_tools = {
        "reportgen": Tool("reportgen", lambda src, out: [binary, "--root", src, "build", "--out", out, "--timings"], check_reportgen),
        # The same build with highlighting's line memo off: what syntect itself costs (the floor's
        # second reading). Measured beside the floor, not compared as a tool.
        "syntect": Tool(
            "reportgen-memo-off",
            lambda src, out: ["env", "REPORTGEN_HIGHLIGHT_MEMO=0", binary, "--root", src, "build", "--out", out, "--timings"],
            check_reportgen,
        ),
        "hugo": Tool("hugo", lambda src, out: ["hugo", "--source", src, "--destination", out, "--quiet", "--noBuildLock"], check_hugo),
        "mdbook": Tool("mdbook", lambda src, out: ["mdbook", "build", src, "--dest-dir", out], check_mdbook),
        "zola": Tool("zola", lambda src, out: zola_cmd + ["--root", src, "build", "--output-dir", out], check_zola),
    }
    outroot = {"disk": os.path.join(work, "out"), "disk-rm": os.path.join(work, "out-rm"), "tmpfs": shm}
    for fs in filesystems:
        if fs not in outroot:
            raise SystemExit("--fs: unknown %r (disk, disk-rm, tmpfs)" % fs)
    if "disk" in filesystems and "disk-rm" in filesystems:
        raise SystemExit("--fs: run disk and disk-rm separately (disk-rm's deletions would slow the disk runs beside them)")
    # Left by an interrupted run: removed now, and so just deleted (see Outputs).
    for root in (outroot["disk"], outroot["disk-rm"], os.path.join(work, "corpus")):
        if os.path.exists(root):
            log("removing %s, left by an earlier run" % root)
            remove(root)
            note_deleted(work)
    for fs in filesystems:
        os.makedirs(outroot[fs], exist_ok=True)
    if "disk" in filesystems and sh(["findmnt", "-n", "-o", "FSTYPE", "-T", outroot["disk"]]) == "ext4":
        try:
            subprocess.run(["chattr", "+T", outroot["disk"]], check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError) as e:
            log("chattr +T %s failed (%s): disk runs may be placed near deleted files" % (outroot["disk"], e))
    outputs = Outputs(outroot)
    spawn = [spawn_timed(["/bin/true"], os.path.join(logs, "true.log"))[1] for _ in range(20)]
    log("spawning and reaping a trivial process (/bin/true): %.2f ms median, included in every wall time" % (med(spawn) * 1000))

    info, vers = machine(work, shm), versions(binary, tools, zola_cmd)
    if "disk" in filesystems:
        marked = "T" in (sh(["lsattr", "-d", outroot["disk"]]).split() or [""])[0]
        info["disk output"] = "a new directory for every run, nothing deleted until the end" + (
            " (parent marked `chattr +T`)" if marked else ""
        )
    if "disk-rm" in filesystems:
        info["disk-rm output"] = "one directory per tool, removed and synced just before each run"
    results, notes = {}, []
    if zola_cmd:
        notes.append(
            "Zola 0.21 is npm's build of it, run by Node (see bench/zola.py); its wall time is its own `Done in` figure, "
            "which leaves out process start-up and exit (Node's included): in Zola's favour. Its peak RSS and CPU are the whole Node process's."
        )
    started = time.time()
    state = {"machine": info, "versions": vers, "spawn": med(spawn), "cores": cores, "tools": tools, "results": results, "notes": notes}
    state["load_start"] = os.getloadavg()

    if "disk" in filesystems or "disk-rm" in filesystems:
        wait_for_quiet_disk(work, args.disk_quiet)
    # The report first, while the disk output directory is fresh (see above). Its builds
    # alternate between the filesystems, so that the machine's drift hits both alike.
    report = []
    if args.report_reps and "reportgen" in tools:
        runs, load_before = {fs: [] for fs in filesystems}, os.getloadavg()[0]
        for _ in range(args.report_reps):
            for fs in filesystems:
                out = outputs.fresh(fs, "report")
                rc, wall, rss, _ = spawn_timed([binary, "--root", REPO, "build", "--out", out], os.path.join(logs, "report.log"))
                text = open(os.path.join(logs, "report.log"), encoding="utf-8").read()
                m = BUILT_LINE.search(text)
                if rc != 0 or not m or count_html(out) < int(m.group(1)):
                    raise Failure("report build failed or wrote fewer pages than it reported:\n" + text)
                runs[fs].append((wall, rss / 1024.0, int(m.group(1))))
                log("  report %-7s %8.1f ms %6.1f MiB" % (fs, wall * 1000, rss / 1024.0))
                outputs.done(fs, out)
        load_after = os.getloadavg()[0]
        for fs in filesystems:
            report.append(
                "| the report (`content/`, %d pages) | %s | %.1f ms | %.1f ms | %.1f MiB | %d | %.1f → %.1f |"
                % (
                    runs[fs][0][2],
                    fs,
                    med([w for w, _, _ in runs[fs]]) * 1000,
                    min(w for w, _, _ in runs[fs]) * 1000,
                    med([r for _, r, _ in runs[fs]]),
                    len(runs[fs]),
                    load_before,
                    load_after,
                )
            )

    state["report"] = report

    snaps = {}
    for n in sizes:
        reps = args.reps or DEFAULT_REPS.get(n, 3)
        metas = {}
        for code in corpora:
            base = os.path.join(work, "corpus", "%d-%s" % (n, "code" if code else "nocode"))
            log("generating %s chapters (%s)…" % ("{:,}".format(n), "code" if code else "no code"))
            plain = os.path.join(base, "plain")
            corpus.gen_tool("plain", n, plain, code)
            metas[code] = (base, corpus.gen_reportgen(n, os.path.join(base, "reportgen"), REPO, code, plain))
            for t in tools:
                if t != "reportgen":
                    corpus.gen_tool(t, n, os.path.join(base, t), code)
            for fs in filesystems:
                results[(n, code, fs)] = {t: [] for t in tools + ["floor", "syntect"]}
        md_reps = reps if n < 10000 else min(reps, args.mdbook_reps_large)
        if "mdbook" in tools and n > args.mdbook_max:
            notes.append("mdBook skipped at %s chapters (--mdbook-max %d)." % ("{:,}".format(n), args.mdbook_max))
        elif "mdbook" in tools and n >= 10000:
            notes.append(
                "mdBook at %s chapters: %d repetition(s), code corpus on disk only (its build is quadratic in the chapter count)."
                % ("{:,}".format(n), md_reps)
            )
        if "disk" in filesystems:
            # Nothing is deleted on disk until the end (see Outputs): about 45 KB per chapter per run.
            runs = (reps + 1) * len(corpora) * (len(tools) + 2)
            need, free = n * 45 * 1024 * runs, shutil.disk_usage(outroot["disk"]).free
            if free < need + (2 << 30):
                raise SystemExit(
                    "%s chapters: %.1f GB free on disk, %.1f GB needed for --fs disk (nothing is deleted there until the end); "
                    "use --fs disk-rm,tmpfs or fewer --reps" % ("{:,}".format(n), free / 1e9, (need + (2 << 30)) / 1e9)
                )
        for rep in range(-1 if n < 10000 else 0, reps):
            for code in corpora:
                base, meta = metas[code]
                for fs in filesystems:
                    key = (n, code, fs)
                    for t in tools:
                        if t == "mdbook" and (n > args.mdbook_max or rep >= md_reps or (n >= 10000 and (not code or fs != "disk"))):
                            continue
                        out = outputs.fresh(fs, t)
                        r = run_once(all_tools[t], os.path.join(base, t), out, meta, code, logs)
                        if rep >= 0:
                            results[key][t].append(r)
                        log(
                            "  %6d %-6s %-5s rep %2d %-9s %8.3f s %8.3f CPU s %6.0f MiB %6d pages"
                            % (n, "code" if code else "nocode", fs, rep, t, r["wall"], r["cpu"], r["rss"], r["pages"])
                        )
                        if t == "reportgen" and key not in snaps:
                            # The floor's bytes: the first build's output, copied once and kept
                            # (deleting it between runs would itself slow the next disk run).
                            snaps[key] = os.path.join(base, "snap-" + fs)
                            shutil.copytree(out, snaps[key])
                        outputs.done(fs, out)
                    if "reportgen" in tools and rep >= 0:
                        out = outputs.fresh(fs, "floor")
                        results[key]["floor"].append(run_floor(floor_bin, snaps[key], out, cores, logs))
                        outputs.done(fs, out)
                        if code:
                            out = outputs.fresh(fs, "syntect")
                            r = run_once(all_tools["syntect"], os.path.join(base, "reportgen"), out, meta, code, logs)
                            results[key]["syntect"].append(r)
                            log("  %6d %-6s %-5s rep %2d memo off: highlighting %.3f CPU s" % (n, "code", fs, rep, r["timings"].get("highlight", 0.0) / 1000))
                            outputs.done(fs, out)
            save(state, work)
        save(state, work)

    log("removing corpora and disk outputs…")
    for path in [os.path.join(work, "corpus")] + [outroot[fs] for fs in filesystems]:
        remove(path)
    note_deleted(work)

    state["elapsed"] = time.time() - started
    state["load_end"] = os.getloadavg()
    print(save(state, work))


def save(state, work):
    """Writes results.md and results.json; returns the Markdown."""
    out = render(state)
    with open(os.path.join(work, "results.md"), "w", encoding="utf-8") as fh:
        fh.write(out)
    raw = dict(state, results=[{"chapters": n, "code": c, "output": fs, "runs": r} for (n, c, fs), r in state["results"].items()])
    with open(os.path.join(work, "results.json"), "w", encoding="utf-8") as fh:
        json.dump(raw, fh, ensure_ascii=False, indent=1)
    return out


def load(path):
    with open(path, encoding="utf-8") as fh:
        state = json.load(fh)
    state["results"] = {(r["chapters"], r["code"], r["output"]): r["runs"] for r in state["results"]}
    return state


def merge(states):
    """Several runs (e.g. small sizes, then 10,000 alone) as one: machine and versions of the first."""
    st = dict(states[0])
    for other in states[1:]:
        results = {k: dict(v) for k, v in st["results"].items()}
        for k, runs in other["results"].items():
            for tool, rs in runs.items():
                results.setdefault(k, {}).setdefault(tool, [])
                results[k][tool] = results[k][tool] + rs
        st["results"] = results
        st["notes"] = st["notes"] + other["notes"]
        st["report"] = (st.get("report") or []) + (other.get("report") or [])
        st["elapsed"] = (st.get("elapsed") or 0) + (other.get("elapsed") or 0)
        st["load_end"] = other.get("load_end")
        st["tools"] = st["tools"] + [t for t in other["tools"] if t not in st["tools"]]
    return st


def render(st):
    results, tools = st["results"], st["tools"]
    text = ["## Machine", ""]
    text += ["- %s: %s" % (k, v) for k, v in st["machine"].items()]
    text += ["- versions: " + ", ".join("%s %s" % (k, v) for k, v in st["versions"].items())]
    text += ["- spawning and reaping a trivial process (`/bin/true`; part of every wall time): %.2f ms" % (st["spawn"] * 1000)]
    la = " ".join("%.1f" % x for x in st["load_start"])
    if st.get("load_end"):
        la += " at the start, %s at the end" % " ".join("%.1f" % x for x in st["load_end"])
    text += ["- load average (1/5/15 min): " + la]
    text += ["", "## Synthetic reports (median wall seconds / median peak RSS MiB)", "", summarize(results, st["cores"], tools), ""]
    text += ["- " + n for n in st["notes"]]
    text += ["", "## Process CPU seconds (median) and fastest wall seconds", "", cpu_table(results, tools)]
    lin = []
    for (n, code, fs), r in results.items():
        small = results.get((n // 10, code, fs), {}).get("reportgen")
        if n >= 10000 and r.get("reportgen") and small:
            per_big = med([x["wall"] for x in r["reportgen"]]) / n
            per_small = med([x["wall"] for x in small]) / (n // 10)
            lin.append(
                "- %s, %s: %.2f ms per chapter at %s, %.2f ms at %s: %.2f×"
                % ("code" if code else "no code", fs, per_big * 1000, "{:,}".format(n), per_small * 1000, "{:,}".format(n // 10), per_big / per_small)
            )
    if lin:
        text += ["", "## Linearity (reportgen median wall time per chapter)", ""] + lin
    if st.get("report"):
        text += ["", "## The report itself (cold `reportgen build`)", ""]
        text += ["| site | output | median wall | fastest | peak RSS | runs | load (1 min) |", "|---|---|---|---|---|---|---|"] + st["report"]
    big = sorted({k[0] for k in results if k[0] >= 1000})
    if big:
        text += ["", "## reportgen `build --timings` (median ms; highlight and write are thread time summed over threads)", ""]
        text += [timings_table(results, big)]
    if st.get("elapsed"):
        text += ["", "Total benchmark time: %.0f s." % st["elapsed"]]
    return "\n".join(text) + "\n"


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        log("benchmark stopped, a build produced a wrong site: %s" % e)
        sys.exit(1)
