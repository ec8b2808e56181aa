#!/usr/bin/env python3
"""mkseeds.py — (re)makes the seed corpora under tests/fuzz/seeds/.

    python3 tests/fuzz/mkseeds.py [SEED_DOCS_DIR]

Seeds come from the examples, the test fixtures and, when the directory is
given, the seed documents (the 考核办法 the examples were transcribed from),
each in UTF-8, in GB18030 (as Excel and Chinese Windows save them) and with
the common characters turned Traditional.  Run from the repository root;
the output is committed, so the fuzz targets need nothing outside the repo.
The lint target starts from the parse seeds.
"""
import glob
import os
import shutil
import sys

OUT = "tests/fuzz/seeds"

# Simplified → Traditional for the characters rule files and logs use most.
TRAD = dict(zip(
    "为项级满个称职优决务学习领导计门员数时岗标规则达报设国县区类实际层础统单总对应过还这与无处时经费违纪录质检评议责审条专积极开会议权奖惩议组织训练资乡镇业绩贯彻传达",
    "為項級滿個稱職優決務學習領導計門員數時崗標規則達報設國縣區類實際層礎統單總對應過還這與無處時經費違紀錄質檢評議責審條專積極開會議權獎懲議組織訓練資鄉鎮業績貫徹傳達",
))


def trad(text):
    return "".join(TRAD.get(c, c) for c in text)


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def variants(target, name, text, gb=True, tw=True):
    """UTF-8 as it is, GB18030, Traditional."""
    put(target, name, text.encode("utf-8"))
    if gb:
        put(target, "gb-" + name, text.encode("gb18030"))
    if tw:
        put(target, "tw-" + name, trad(text).encode("utf-8"))


def main():
    docs = sys.argv[1] if len(sys.argv) > 1 else None
    shutil.rmtree(OUT, ignore_errors=True)
    examples = sorted(glob.glob("examples/*/"))
    for ex in examples:
        name = os.path.basename(ex.rstrip("/"))
        scheme = read(ex + "scheme.kh").decode("utf-8")
        events = read(ex + "events.csv").decode("utf-8")
        roster = read(ex + "roster.csv").decode("utf-8")
        variants("parse", name + ".kh", scheme)
        variants("jit", name + ".kh", scheme, gb=False, tw=name.startswith("003"))
        variants("csv", name + "-events.csv", events)
        variants("csv", name + "-roster.csv", roster, tw=False)
        put("csv", "bomcrlf-" + name + "-events.csv",
            b"\xef\xbb\xbf" + events.replace("\n", "\r\n").encode("utf-8"))
        whole = scheme + "\n=====\n" + events + "=====\n" + roster
        put("score", name + ".txt", whole.encode("utf-8"))
        put("score", "tw-" + name + ".txt",
            (trad(scheme) + "\n=====\n" + trad(events) + "=====\n" + trad(roster)).encode("utf-8"))
    for f in sorted(glob.glob("tests/data/lang/*.kh") + glob.glob("tests/lint/*.kh")):
        data = read(f)
        put("parse", "fixture-" + os.path.basename(f), data)
    for f in sorted(glob.glob("tests/lint/*.kh")):
        put("jit", "fixture-" + os.path.basename(f), read(f))
    for f in sorted(glob.glob("tests/data/csv/*.csv")):
        put("csv", "fixture-" + os.path.basename(f), read(f))
    if docs:
        for f in sorted(glob.glob(os.path.join(docs, "*.txt"))):
            text = read(f).decode("utf-8")
            name = "doc-" + os.path.basename(f)[:3] + ".txt"
            variants("parse", name, text)


if __name__ == "__main__":
    main()
