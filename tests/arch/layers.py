#!/usr/bin/env python3
"""layers.py - the dependency rules of the source tree (docs/architecture.md).

Layers, lowest first; a file may use its own layer and the ones below:

    0 core/base/   util, strv, strbuf, log, cleanup, run, mount, download, ...
    1 kickstart/   the parser and its model
    2 core/        the domain: creator, package engine, system configuration,
                   partitioning, boot loaders, artifacts
    3 imgtypes/    one backend per image type
    4 tools/       the programs

A module is a .c file with its .h.  Module A depends on module B when a file
of A includes B's header, or (with --objs) when A's object file uses a symbol
that B's object file defines.  The rules:

  - every project include is written from the top of the tree
    ("core/base/log.h"), never with "../";
  - no dependency points to a higher layer;
  - the module graph has no circle.

Usage: layers.py [--objs BUILD_DIR] [ROOT]     exit 0 clean, 1 with findings
"""
import os
import re
import subprocess
import sys
from collections import defaultdict

LAYERS = [("core/base/", 0, "base"), ("kickstart/", 1, "kickstart"), ("core/", 2, "domain"),
          ("imgtypes/", 3, "imgtypes"), ("tools/", 4, "tools")]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def layer(path):
    for prefix, rank, name in LAYERS:
        if path.startswith(prefix):
            return rank, name
    return None, None


def module(path):
    return os.path.splitext(path)[0]


def sources(root):
    out = []
    for prefix, _, _ in LAYERS:
        top = os.path.join(root, prefix)
        for d, _, files in os.walk(top):
            for f in files:
                if f.endswith((".c", ".h")):
                    rel = os.path.relpath(os.path.join(d, f), root)
                    if layer(rel)[1] == layer(prefix)[1]:
                        out.append(rel)
    return sorted(set(out))


def symbol_edges(root, objdir, mods):
    """(user module, definer module, symbol) from nm of the object files."""
    objs = {}
    for m in mods:
        o = os.path.join(objdir, m + ".o")
        if os.path.exists(o):
            objs[m] = o
    defs, uses = {}, defaultdict(set)
    for m, o in objs.items():
        res = subprocess.run(["nm", "--defined-only", o], capture_output=True, text=True)
        for line in res.stdout.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] in "TDBRV":
                defs[p[2]] = m
        res = subprocess.run(["nm", "-u", o], capture_output=True, text=True)
        for line in res.stdout.splitlines():
            p = line.split()
            if p:
                uses[m].add(p[-1])
    edges = []
    for m, syms in uses.items():
        for s in sorted(syms):
            d = defs.get(s)
            if d and d != m:
                edges.append((m, d, s))
    return edges


def cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(100000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main(argv):
    objdir = None
    args = list(argv)
    if args[:1] == ["--objs"]:
        objdir = args[1]
        args = args[2:]
    root = args[0] if args else "."
    files = sources(root)
    mods = sorted({module(f) for f in files})
    problems = []
    graph = defaultdict(set)
    why = {}
    for f in files:
        rank, lname = layer(f)
        with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                inc = m.group(1)
                if inc.startswith("../") or "/../" in inc:
                    problems.append(f'{f}:{n}: include "{inc}" is relative; write it from the top of the tree')
                    continue
                if not os.path.exists(os.path.join(root, inc)):
                    continue  # not a project header (tests' tap.h and the like)
                irank, iname = layer(inc)
                if irank is None:
                    problems.append(f'{f}:{n}: include "{inc}" is outside the layered folders')
                    continue
                if irank > rank:
                    problems.append(f'{f}:{n}: {lname} includes "{inc}" of {iname}, a higher layer')
                a, b = module(f), module(inc)
                if a != b:
                    graph[a].add(b)
                    why.setdefault((a, b), f'{f}:{n} includes {inc}')
    if objdir:
        for a, b, sym in symbol_edges(root, objdir, mods):
            ra, na = layer(a)
            rb, nb = layer(b)
            if rb > ra:
                problems.append(f"{a}.c: {na} uses {sym} of {b}.c ({nb}), a higher layer")
            graph[a].add(b)
            why.setdefault((a, b), f"{a}.o uses {sym} of {b}.o")
    for comp in cycles(graph):
        members = set(comp)
        detail = "; ".join(why[(a, b)] for a in comp for b in sorted(graph[a]) if b in members)
        problems.append(f"circle between {', '.join(comp)}: {detail}")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"layers: {len(problems)} problem(s); see docs/architecture.md", file=sys.stderr)
        return 1
    print(f"layers: {len(files)} files, {len(mods)} modules, "
          f"{sum(len(v) for v in graph.values())} dependencies, none upward, no circle")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
