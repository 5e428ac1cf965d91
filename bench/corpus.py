"""Benchmark corpora: the shared generator's bodies as a reportgen site, and as Hugo, mdBook and Zola projects.

reportgen's site is made from `gen_corpus.py --tool plain` bodies:

- each body becomes `content/chapters/chNNNNN.md`: its `# title` moves into the front matter
  (`title`, `order`, `slug`, a `part` per 100 chapters, an event every 10th chapter) and its
  cross-chapter link `[..](chNNNNN.md)` is rewritten to `[..](chapter:chNNNNN)`;
- one company and one table per five chapters, one figure per ten (at least one of each);
- after its first paragraph every chapter gets one more paragraph that names two companies in
  plain text (auto-linking and backlinks), places its table or figure when it owns one
  (`![](table:ID)`) and refers to another table and figure (`[](table:ID)`, `[](figure:ID)`);
- tables link companies in their cells and half of them draw a bar chart; figures draw one;
  companies carry a fact quoted verbatim from a chapter and a link back to it.

The no-code variant of every corpus (reportgen, Hugo, mdBook) drops the fenced code block.
"""

import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_corpus as g  # noqa: E402  (the shared generator, copied beside this file)

GEN = os.path.join(HERE, "gen_corpus.py")
FENCE = re.compile(r"^```[a-z]*\n.*?^```\n", re.M | re.S)
PLAIN_LINK = re.compile(r"\]\((ch\d{5})\.md\)")
SECTORS = [("s-chip", "반도체"), ("s-bio", "바이오"), ("s-energy", "에너지"), ("s-net", "통신"), ("s-fin", "금융")]
SOURCES = [("src-stat", "통계청"), ("src-bok", "한국은행"), ("src-kotra", "KOTRA"), ("src-firm", "기업 공시")]
PREFIXES = (
    "가온 나래 다솜 라온 마루 바름 새별 아라 자람 차오 키움 타래 파랑 하람 가비 너울 다올 로운 미르 보람 "
    "슬기 예솔 이든 잎새 초롱 한결 해솔 누리온 늘봄 단비 도담 두리 들꽃 라희 모람 물결 별솔 빛찬 사랑 산들 "
    "상큼 세움 소담 시나 아름 여울 온새 윤슬 은솔 정다"
).split()
SUFFIXES = (
    "전자 반도체 화학 바이오 에너지 통신 모빌리티 소재 금융 건설 소프트 물류 제약 식품 중공업 기계 "
    "로보틱스 네트웍스 항공 해운 섬유 유리 광학 게임즈 미디어 헬스케어 디스플레이 테크 머티리얼즈 인더스트리 "
    "파마 랩스 시스템즈 솔루션즈 일렉트릭 오토 케미칼 푸드 리테일 캐피탈"
).split()


def sizes(n):
    """(tables, figures, companies) for n chapters."""
    return max(1, n // 5), max(1, n // 10), max(1, n // 5)


def company_names(count):
    """The generator's 12 names first (its bodies mention them), then made-up ones."""
    names = list(g.COMPANIES)
    seen = set(names)
    for s in SUFFIXES:
        for p in PREFIXES:
            if len(names) >= count:
                return names[:count]
            if p + s not in seen:
                names.append(p + s)
                seen.add(p + s)
    if len(names) < count:
        raise SystemExit("corpus: at most %d companies can be named" % len(names))
    return names[:count]


def cid(k):
    return "c%05d" % (k + 1)


def tid(k):
    return "t%05d" % (k + 1)


def fid(k):
    return "f%05d" % (k + 1)


def table_home(k):
    """Chapter (1-based) that places table k."""
    return 5 * k + 1


def figure_home(k, n):
    return min(n, 10 * k + 3)


def fact_sentence(name, k):
    """The sentence chapter k+1 says about company k (its fact, quoted verbatim)."""
    return "%s %d년 %s 사업을 %s 확대했다." % (g._subj(name), 2015 + k % 10, g.NOUNS[k % len(g.NOUNS)], g.ADVS[k % len(g.ADVS)])


def extra_paragraph(i, n, names):
    """The paragraph added after chapter i's first one: mentions, placements, references."""
    t, f, c = sizes(n)
    a = (i - 1) % c
    b = (i * 7 + 3) % c
    lines = [fact_sentence(names[a], a) if i - 1 < c else "%s 관련 동향도 함께 살펴본다." % names[a]]
    lines.append("%s의 비교는 [](table:%s)과 [](figure:%s)에 정리했다." % (g._with(names[b]), tid((i * 3) % t), fid((i * 7) % f)))
    out = [" ".join(lines)]
    for k in range(t):
        if table_home(k) == i:
            out.append("![](table:%s)" % tid(k))
    for k in range(f):
        if figure_home(k, n) == i:
            out.append("![](figure:%s)" % fid(k))
    return "\n\n".join(out) + "\n"


def q(s):
    """A YAML double-quoted string."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def chapter(i, n, body, names, code):
    """A plain body as a reportgen chapter file."""
    head, rest = body.split("\n", 1)
    assert head.startswith("# "), "generator bodies start with their title"
    title = head[2:]
    rest = PLAIN_LINK.sub(r"](chapter:\1)", rest.lstrip("\n"))
    if not code:
        rest = FENCE.sub("", rest)
    first, after = rest.split("\n\n", 1)
    fm = ["---", "title: " + q(title), "order: %d" % i, "slug: " + g.slug(i), "part: " + q("제%d부 %s" % ((i - 1) // 100 + 1, "산업 동향"))]
    _, _, c = sizes(n)
    if i % 10 == 0 and i - 1 < c:
        a = i - 1
        fm += ["events:", '  - date: "%d-03"' % (2015 + a % 10), "    text: " + q(fact_sentence(names[a], a))]
    fm.append("---")
    return "\n".join(fm) + "\n\n" + first + "\n\n" + extra_paragraph(i, n, names) + "\n" + after


def table_yaml(k, n, names):
    rows, items = [], []
    _, _, c = sizes(n)
    for r in range(5):
        comp = (k * 5 + r) % c
        rev = 1000 + (k * 7919 + r * 104729) % 900000
        op = rev * ((k + r) % 30) // 100
        rev_s, op_s = format(rev, ","), format(op, ",")
        rows.append("  - [%s, %s, %s, %s]" % (q("[](company:%s)" % cid(comp)), q(rev_s), q(op_s), q(g.ADJS[(k + r) % len(g.ADJS)])))
        items.append("    - {label: %s, value: %s}" % (q(names[comp]), q(rev_s)))
    src, _ = SOURCES[k % len(SOURCES)]
    out = [
        "id: " + tid(k),
        "caption: " + q("%s 주요 기업 %s 현황" % (g.NOUNS[k % len(g.NOUNS)], g.HEAD_WORDS[k % len(g.HEAD_WORDS)])),
        'unit: "억 원"',
        "header:",
        "  - [기업, 매출, 영업이익, 비고]",
        "row_headers: 1",
        "rows:",
        *rows,
        "notes:",
        "  - " + q("* [](chapter:%s) 참조" % g.slug(table_home(k))),
        "source: " + q("[자료](source:%s)" % src),
    ]
    if k % 2 == 0:
        out += ["chart:", "  kind: bar", '  unit: "억 원"', "  items:", *items]
    return "\n".join(out) + "\n"


def figure_yaml(k, n, names):
    _, _, c = sizes(n)
    items = ["    - {label: %s, value: %s}" % (q(names[(k + r) % c]), q("%d.%d" % (10 + (k * 13 + r * 7) % 90, r))) for r in range(4)]
    src, _ = SOURCES[(k + 1) % len(SOURCES)]
    return "\n".join(
        [
            "id: " + fid(k),
            "caption: " + q("%s %s 추이" % (g.NOUNS[(k + 5) % len(g.NOUNS)], g.NOUNS[(k + 9) % len(g.NOUNS)])),
            'unit: "%"',
            "source: " + q("[자료](source:%s)" % src),
            "data:",
            "  kind: bar",
            '  unit: "%"',
            "  items:",
            *items,
        ]
    ) + "\n"


def company_yaml(k, n, names):
    home = g.slug(k + 1)
    return "\n".join(
        [
            "id: " + cid(k),
            "name: " + q(names[k]),
            "sectors: [%s]" % SECTORS[k % len(SECTORS)][0],
            "summary: " + q("[](chapter:%s)에서 다루는 %s 기업" % (home, g.NOUNS[k % len(g.NOUNS)])),
            "facts:",
            '  - date: "%d"' % (2015 + k % 10),
            "    text: " + q(fact_sentence(names[k], k)),
            "    chapter: " + home,
            "sources: [%s]" % SOURCES[k % len(SOURCES)][0],
        ]
    ) + "\n"


def registries():
    sectors = "".join("- id: %s\n  name: %s\n" % (i, q(name)) for i, name in SECTORS)
    sources = "".join("- id: %s\n  name: %s\n" % (i, q(name)) for i, name in SOURCES)
    home = (
        "---\n"
        'contact: "벤치마크용 합성 보고서입니다."\n'
        'disclaimer: "본문은 무작위로 생성한 문장입니다."\n'
        "---\n\n합성 코퍼스로 만든 보고서.\n"
    )
    return {"sectors.yaml": sectors, "sources.yaml": sources, "index.md": home}


def gen_tool(tool, n, out, code):
    """Runs the shared generator for `tool` into `out`; drops code blocks when `code` is false."""
    extra = ["--zola-highlighter", "syntect"] if tool == "zola" else []  # Zola 0.21
    subprocess.run([sys.executable, GEN, "--tool", tool, "--pages", str(n), "--out", out] + extra, check=True)
    if not code:
        for dirpath, _, files in os.walk(out):
            for name in files:
                if name.endswith(".md") and name.startswith("ch"):
                    p = os.path.join(dirpath, name)
                    with open(p, encoding="utf-8") as fh:
                        text = fh.read()
                    write(p, FENCE.sub("", text))


def gen_reportgen(n, out, repo, code, plain):
    """A reportgen site at `out` from the plain bodies in `plain`."""
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    shutil.copy(os.path.join(repo, "site.toml"), os.path.join(out, "site.toml"))
    shutil.copytree(os.path.join(repo, "themes", "default"), os.path.join(out, "themes", "default"))
    t, f, c = sizes(n)
    names = company_names(c)
    content = os.path.join(out, "content")
    for name, text in registries().items():
        write(os.path.join(content, name), text)
    for i in range(1, n + 1):
        with open(os.path.join(plain, g.slug(i) + ".md"), encoding="utf-8") as fh:
            body = fh.read()
        write(os.path.join(content, "chapters", g.slug(i) + ".md"), chapter(i, n, body, names, code))
    for k in range(t):
        write(os.path.join(content, "tables", tid(k) + ".yaml"), table_yaml(k, n, names))
    for k in range(f):
        write(os.path.join(content, "figures", fid(k) + ".yaml"), figure_yaml(k, n, names))
    for k in range(c):
        write(os.path.join(content, "companies", cid(k) + ".yaml"), company_yaml(k, n, names))
    return {"chapters": n, "tables": t, "figures": f, "companies": c, "names": names}
