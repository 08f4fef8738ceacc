#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
"""Check that the guides document every devarg key and every xstat name.

Reads the C sources (comments stripped, string macros expanded) and the
guides (reStructuredText csv-tables), and fails when:

1. a key that a driver's kvargs parser accepts (its NULL-terminated key
   tables) is missing from the driver's RTE_PMD_REGISTER_PARAM_STRING, or
   the string names a key that no table accepts;
2. an accepted key is not a name cell of a csv-table in the driver's
   guides: the first cell of a row, or a cell of a column headed Option,
   Name, Key, Per queue pair or Total ("mw1 .. mw4" and "a, b" cells
   count for each key, "key=example" for key);
3. an xstat name (every identifier-like string literal of the driver's
   xstats file, and the driver's columns of the queue pair counter table
   NTBT_QP_XSTATS in ntb_transport_counters.h, which every xstat, API
   and telemetry user of a queue pair counter expands; "%u" is the queue
   number, written N or <N> in the guide) is not a name cell of a
   csv-table in the driver's guides, or a generic suffix ("%s_q%u") is
   not written (``_q<N>``) in them;
4. the sources hold a key table, or a driver registers a param string,
   that the table below does not know (a new driver or a new table must
   be added here, so that it is checked too; an array of strings that
   holds no keys goes in IGNORED_TABLES).

Usage: check_doc_coverage.py [--root DIR] [--selftest]
--selftest checks that the checker itself fails on an undocumented key,
an undocumented xstat, a key missing from a param string and a stale key
in a param string, and passes on the tree as it is.
"""

import argparse
import csv
import glob
import os
import re
import sys
import functools
import textwrap

RAWDEV_DEVARGS = 'drivers/raw/ntb_dwedma/rawdev/ntb_dwedma_devargs.c'
VSIM_PARAMS = 'drivers/raw/ntb_dwedma/vsim/vsim_params.c'
IVSHMEM_DEVARGS = 'drivers/raw/ntb_dwedma/rawdev/ntb_dwedma_ivshmem.c'
VNET_DEVARGS = 'drivers/net/ntb_vnet/ntb_vnet_devargs.c'

# driver name -> the key tables its parser accepts (file, array) and the
# guides (under doc/guides) that document its devargs.
DRIVERS = {
    'raw_ntb_dwedma': {
        'tables': [(RAWDEV_DEVARGS, 'common_keys')],
        'guides': ['rawdevs/ntb_dwedma.rst'],
    },
    'raw_ntb_vsim': {
        'tables': [(RAWDEV_DEVARGS, 'common_keys'),
                   (VSIM_PARAMS, 'vsim_params_keys')],
        'guides': ['rawdevs/ntb_dwedma.rst', 'rawdevs/ntb_dwedma_vsim.rst'],
    },
    'raw_ntb_ivshmem': {
        'tables': [(RAWDEV_DEVARGS, 'common_keys'),
                   (IVSHMEM_DEVARGS, 'ivshm_keys')],
        'guides': ['rawdevs/ntb_dwedma.rst', 'rawdevs/ntb_dwedma_ivshmem.rst'],
    },
    'net_ntb_vnet': {
        'tables': [(VNET_DEVARGS, 'ntb_vnet_valid_args')],
        'guides': ['nics/ntb_vnet.rst'],
    },
}

# NULL-terminated string arrays that are not devarg key tables:
# (file, array) -> why.
IGNORED_TABLES = {}

# The one table of queue pair counters: X(field, name, vnet_q,
# vnet_total, value) rows of this macro.
COUNTERS = 'drivers/raw/ntb_dwedma/counters/ntb_transport_counters.h'
COUNTERS_MACRO = 'NTBT_QP_XSTATS'

# xstats source -> (guides that document its names, the columns of the
# counter table (1: name, 2: vnet_q, 3: vnet_total) it shows).
XSTATS = {
    'drivers/raw/ntb_dwedma/rawdev/ntb_dwedma_xstats.c':
        (['rawdevs/ntb_dwedma.rst'], [1]),
    'drivers/net/ntb_vnet/ntb_vnet_stats.c': (['nics/ntb_vnet.rst'], [2, 3]),
}

GUIDES = 'doc/guides'
PLACEHOLDER = '<N>'


class Tree:
    """Files of the source tree, with in-memory replacements (selftest)."""

    def __init__(self, root, overrides=None):
        self.root = root
        self.overrides = overrides or {}
        self._macros = None

    def read(self, rel):
        if rel in self.overrides:
            return self.overrides[rel]
        with open(os.path.join(self.root, rel), encoding='utf-8') as f:
            return f.read()

    def sources(self, pattern):
        return sorted(os.path.relpath(p, self.root) for p in glob.glob(
            os.path.join(self.root, pattern), recursive=True))

    def macros(self):
        """#define NAME <tokens> of every driver header and source."""
        if self._macros is None:
            self._macros = {}
            for rel in self.sources('drivers/**/*.[ch]'):
                for name, body in find_defines(strip_c(self.read(rel))):
                    self._macros.setdefault(name, []).append((rel, body))
        return self._macros


class CheckError(Exception):
    pass


# ---------------------------------------------------------------- C parsing

@functools.lru_cache(maxsize=None)
def strip_c(src):
    """Source without comments (string and char literals kept), with line
    continuations joined."""
    out = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith('/*', i):
            j = src.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(' ' + '\n' * src.count('\n', i, j))
            i = j
        elif src.startswith('//', i):
            j = src.find('\n', i)
            i = n if j < 0 else j
        elif c in '"\'':
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == '\\' else 1
            out.append(src[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return re.sub(r'\\\n', ' ', ''.join(out))


def find_defines(src):
    # object-like macros only: a "(" right after the name is a function
    for m in re.finditer(
            r'^[ \t]*#[ \t]*define[ \t]+(\w+)(?![\w(])[ \t]*(.*)$', src, re.M):
        yield m.group(1), m.group(2).strip()


TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|[A-Za-z_]\w*|\S')


def unescape(lit):
    body = lit[1:-1]
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(
        m.group(1), m.group(1)), body)


def eval_expr(tree, rel, expr, depth=0):
    """Value of a C expression made of string literals and macros that
    expand to them (adjacent literals concatenate); None for NULL; an
    identifier macro (#define X net_foo) evaluates to its name."""
    if depth > 20:
        raise CheckError('%s: macro recursion in "%s"' % (rel, expr))
    toks = TOKEN.findall(expr)
    if toks == ['NULL']:
        return None
    parts = []
    for t in toks:
        if t.startswith('"'):
            parts.append(unescape(t))
            continue
        if not re.match(r'[A-Za-z_]\w*$', t):
            raise CheckError('%s: cannot evaluate "%s" (token %s)'
                             % (rel, expr, t))
        defs = tree.macros().get(t)
        if not defs:
            if len(toks) == 1:
                return t           # a bare name, e.g. a driver name
            raise CheckError('%s: "%s" uses %s, which is not a string macro'
                             % (rel, expr, t))
        same = [b for r, b in defs if r == rel] or [b for _, b in defs]
        if len(set(same)) > 1:
            raise CheckError('%s: macro %s has several definitions' % (rel, t))
        v = eval_expr(tree, rel, same[0], depth + 1)
        if v is None:
            raise CheckError('%s: "%s" expands to NULL' % (rel, expr))
        parts.append(v)
    return ''.join(parts)


def split_top(s, sep=','):
    """Split on sep outside (), {}, [] and literals."""
    out, depth, cur, i = [], 0, [], 0
    while i < len(s):
        c = s[i]
        if c in '"\'':
            j = i + 1
            while j < len(s) and s[j] != c:
                j += 2 if s[j] == '\\' else 1
            cur.append(s[i:j + 1])
            i = j + 1
            continue
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
        if c == sep and depth == 0:
            out.append(''.join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    out.append(''.join(cur))
    return [p.strip() for p in out]


def balanced(src, start):
    """Index just past the bracket matching src[start]."""
    pairs = {'(': ')', '{': '}', '[': ']'}
    stack, i = [], start
    while i < len(src):
        c = src[i]
        if c in '"\'':
            j = i + 1
            while j < len(src) and src[j] != c:
                j += 2 if src[j] == '\\' else 1
            i = j + 1
            continue
        if c in pairs:
            stack.append(pairs[c])
        elif stack and c == stack[-1]:
            stack.pop()
            if not stack:
                return i + 1
        i += 1
    raise ValueError('unbalanced bracket')


def string_arrays(tree, rel):
    """{name: [values]} of the arrays of strings defined in a C file whose
    last element is NULL (the form rte_kvargs_parse takes)."""
    src = strip_c(tree.read(rel))
    out = {}
    for m in re.finditer(r'\bchar\s*\*[\s\w*]*?\b(\w+)\s*\[[^\]]*\]\s*=\s*\{',
                         src):
        end = balanced(src, m.end() - 1)
        items = [e for e in split_top(src[m.end():end - 1]) if e]
        if not items or items[-1] != 'NULL':
            continue
        vals = []
        for e in items[:-1]:
            e = re.sub(r'^\[[^\]]*\]\s*=\s*', '', e)   # designated
            vals.append(eval_expr(tree, rel, e))
        out[m.group(1)] = vals
    return out


def param_strings(tree):
    """[(file, driver, string)] of every RTE_PMD_REGISTER_PARAM_STRING."""
    out = []
    for rel in tree.sources('drivers/**/*.c'):
        src = strip_c(tree.read(rel))
        for m in re.finditer(r'\bRTE_PMD_REGISTER_PARAM_STRING\s*\(', src):
            end = balanced(src, m.end() - 1)
            args = split_top(src[m.end():end - 1])
            if len(args) != 2:
                raise CheckError('%s: RTE_PMD_REGISTER_PARAM_STRING takes 2 '
                                 'arguments, found %d' % (rel, len(args)))
            out.append((rel, eval_expr(tree, rel, args[0]),
                        eval_expr(tree, rel, args[1])))
    return out


def param_patterns(s):
    """Key patterns of a param string: "mw<N>_bar=<0..5> role=ep|rc" gives
    {"mw<N>_bar": re, "role": re}; <N> stands for a number."""
    pats = {}
    # a value may hold spaces ("link=<unix socket path>"): keys are what
    # stands before "=" at the start of the string, after a blank or "["
    for key in re.findall(r'(?:^|[\s\[|])([a-z][a-z0-9_]*(?:<N>[a-z0-9_]*)*)=',
                          s):
        rx = re.escape(key).replace(re.escape('<N>'), r'\d+')
        pats[key] = re.compile(rx + '$')
    return pats


def xstat_literals(tree, rel):
    """(names, suffixes) of an xstats source: names are identifier-like
    string literals, %u made <N>; suffixes are the generic "%s_q%u" forms
    appended to every name."""
    src = strip_c(tree.read(rel))
    names, suffixes = set(), set()
    for lit in re.findall(r'"((?:\\.|[^"\\])*)"', src):
        if re.fullmatch(r'[a-z][a-z0-9_]*(?:%u[a-z0-9_]*)*', lit):
            names.add(lit.replace('%u', PLACEHOLDER))
        elif re.fullmatch(r'%s[a-z0-9_]*%u[a-z0-9_]*', lit):
            suffixes.add(lit[2:].replace('%u', PLACEHOLDER))
    return names, suffixes


def counter_rows(tree):
    """Rows of the queue pair counter table: [(field, name, vnet_q,
    vnet_total)], string columns evaluated."""
    src = strip_c(tree.read(COUNTERS))
    m = re.search(r'^[ \t]*#[ \t]*define[ \t]+%s\(\s*(\w+)\s*\)(.*)$'
                  % COUNTERS_MACRO, src, re.M)
    if not m:
        raise CheckError('%s: #define %s(X) not found' % (COUNTERS,
                                                          COUNTERS_MACRO))
    body, x = m.group(2), m.group(1)
    rows = []
    for r in re.finditer(r'\b%s\s*\(' % re.escape(x), body):
        end = balanced(body, r.end() - 1)
        args = split_top(body[r.end():end - 1])
        if len(args) != 5:
            raise CheckError('%s: %s row "%s" has %d columns, not 5'
                             % (COUNTERS, COUNTERS_MACRO,
                                body[r.start():end], len(args)))
        rows.append((args[0], *[eval_expr(tree, COUNTERS, a)
                                for a in args[1:4]]))
    if not rows:
        raise CheckError('%s: %s has no row' % (COUNTERS, COUNTERS_MACRO))
    return rows


def xstat_names(tree, rel, columns):
    """(names, suffixes) of an xstats source and its counter table
    columns."""
    names, suffixes = xstat_literals(tree, rel)
    for row in counter_rows(tree):
        for c in columns:
            if row[c]:
                names.add(row[c].replace('%u', PLACEHOLDER))
    return names, suffixes


# ------------------------------------------------------------ RST parsing

RANGE = re.compile(r'([a-z_]*?)(\d+)([a-z0-9_]*)\s*\.\.\s*\1(\d+)\3$')


# Columns that hold names: the first one, and those with these headers.
NAME_HEADERS = {'option', 'name', 'key', 'per queue pair', 'total'}


def csv_table_cells(text):
    """Name cells of every csv-table directive: the first cell of each row
    and the cells of columns headed as in NAME_HEADERS."""
    lines = text.split('\n')
    cells = []
    i = 0
    while i < len(lines):
        m = re.match(r'(\s*)\.\.\s+csv-table::', lines[i])
        if not m:
            i += 1
            continue
        indent = len(m.group(1))
        block = []
        i += 1
        while i < len(lines) and (not lines[i].strip() or
                                  len(lines[i]) - len(lines[i].lstrip())
                                  > indent):
            block.append(lines[i])
            i += 1
        body = textwrap.dedent('\n'.join(block)).split('\n')
        # options first (":header: ..." may continue on indented lines)
        k, opts = 0, []
        while k < len(body) and (body[k].startswith(':') or
                                 (k > 0 and body[k].startswith(' ')) or
                                 not body[k].strip()):
            opts.append(body[k])
            k += 1
        cols = {0}
        hm = re.search(r':header:(.*?)(?=\n\s*:|$)', '\n'.join(opts), re.S)
        if hm:
            for row in csv.reader([' '.join(hm.group(1).split())],
                                  skipinitialspace=True):
                cols |= {c for c, h in enumerate(row)
                         if h.strip().lower() in NAME_HEADERS}
        for row in csv.reader(body[k:], skipinitialspace=True):
            cells += [row[c] for c in sorted(cols) if c < len(row)]
    return cells


def cell_names(cell):
    """Names a first cell documents: ``mw1 .. mw4`` -> mw1..mw4;
    "tx_packets, tx_bytes" -> both; "rawdev=NTB:01:00.0" -> rawdev;
    "rx_qN_nombuf" -> rx_q<N>_nombuf."""
    out = set()
    cell = cell.replace('``', '').replace('*', '')
    for piece in cell.split(','):
        piece = piece.strip()
        if not piece:
            continue
        m = RANGE.match(piece)
        if m:
            pre, a, post, b = m.group(1), int(m.group(2)), m.group(3), \
                int(m.group(4))
            out.update('%s%d%s' % (pre, k, post) for k in range(a, b + 1))
            continue
        name = piece.split()[0].split('=', 1)[0]
        name = re.sub(r'(?<=[a-z_])N(?=_|$)', PLACEHOLDER, name)
        out.add(name)
    return out


def documented(tree, guides):
    names, text = set(), ''
    for g in guides:
        t = tree.read(os.path.join(GUIDES, g))
        text += t
        for cell in csv_table_cells(t):
            names |= cell_names(cell)
    return names, text


# ---------------------------------------------------------------- checks

def check(tree):
    """List of problems (empty when the guides cover the code)."""
    errors = []
    tables = {}
    for drv in DRIVERS.values():
        for rel, name in drv['tables']:
            arrays = tables.setdefault(rel, string_arrays(tree, rel))
            if name not in arrays:
                errors.append('%s: key table %s[] not found (NULL-terminated '
                              'array of strings); update %s'
                              % (rel, name, os.path.basename(__file__)))

    # 4. every key table and param string is one this checker knows
    known = {(rel, name)
             for d in DRIVERS.values() for rel, name in d['tables']}
    for rel in tree.sources('drivers/**/*.c'):
        for name in string_arrays(tree, rel):
            if (rel, name) not in known and \
                    (rel, name) not in IGNORED_TABLES:
                errors.append('%s: key table %s[] is not checked: add it to '
                              'DRIVERS in %s (or to IGNORED_TABLES, with '
                              'the reason, if it holds no devarg keys)'
                              % (rel, name, os.path.basename(__file__)))
    registered = {}
    for rel, drv, s in param_strings(tree):
        if drv not in DRIVERS:
            errors.append('%s: driver %s registers a param string but is not '
                          'in DRIVERS of %s' % (rel, drv,
                                               os.path.basename(__file__)))
            continue
        registered[drv] = (rel, s)
    for drv in DRIVERS:
        if drv not in registered:
            errors.append('%s: no RTE_PMD_REGISTER_PARAM_STRING found' % drv)

    for drv, conf in DRIVERS.items():
        keys = []
        for rel, name in conf['tables']:
            keys += tables.get(rel, {}).get(name, [])
        if drv not in registered:
            continue
        rel, s = registered[drv]
        pats = param_patterns(s)
        # 1. param string <-> accepted keys
        for k in keys:
            if not any(p.match(k) for p in pats.values()):
                errors.append('%s: %s accepts devarg "%s" but its '
                              'RTE_PMD_REGISTER_PARAM_STRING does not list it'
                              % (rel, drv, k))
        for pk, p in pats.items():
            if not any(p.match(k) for k in keys):
                errors.append('%s: %s: RTE_PMD_REGISTER_PARAM_STRING lists '
                              '"%s", which the driver does not accept'
                              % (rel, drv, pk))
        # 2. accepted keys <-> guides
        doc, _ = documented(tree, conf['guides'])
        for k in keys:
            if k not in doc:
                errors.append('%s: devarg "%s" accepted by %s is not a name '
                              'cell of a csv-table in %s' % (
                                  rel, k, drv, ', '.join(
                                      GUIDES + '/' + g
                                      for g in conf['guides'])))

    # 3. xstats
    for rel, (guides, columns) in XSTATS.items():
        names, suffixes = xstat_names(tree, rel, columns)
        if not names:
            errors.append('%s: no xstat name found' % rel)
        doc, text = documented(tree, guides)
        where = ', '.join(GUIDES + '/' + g for g in guides)
        for n in sorted(names - doc):
            errors.append('%s: xstat "%s" is not a name cell of a '
                          'csv-table in %s' % (rel, n, where))
        for suf in sorted(suffixes):
            forms = {suf, suf.replace(PLACEHOLDER, 'N')}
            if not any('``%s``' % f in text for f in forms):
                errors.append('%s: per-queue suffix ``%s`` of the xstat '
                              'names is not written in %s' % (rel, suf, where))
    return errors


def summary(tree):
    n_keys = sum(len(string_arrays(tree, rel).get(name, []))
                 for d in DRIVERS.values() for rel, name in d['tables'])
    n_xs = sum(len(xstat_names(tree, rel, c)[0])
               for rel, (_, c) in XSTATS.items())
    return ('%d drivers, %d devarg keys (per driver, with shared tables), '
            '%d xstat names' % (len(DRIVERS), n_keys, n_xs))


# -------------------------------------------------------------- selftest

def mutate(tree, rel, old, new):
    text = tree.read(rel)
    if old not in text:
        raise CheckError('selftest: "%s" not found in %s' % (old, rel))
    return Tree(tree.root, {rel: text.replace(old, new, 1)})


def selftest(tree):
    base = check(tree)
    if base:
        print('selftest: the tree itself fails:', *base, sep='\n  ')
        return 1
    vsim_c = 'drivers/raw/ntb_dwedma/rawdev/ntb_dwedma_vsim.c'
    cases = [
        ('key undocumented (row removed from the vsim guide)',
         mutate(tree, GUIDES + '/rawdevs/ntb_dwedma_vsim.rst',
                '   "connect_timeout_ms",', '   "not_a_key",'),
         r'devarg "connect_timeout_ms" accepted by raw_ntb_vsim is not'),
        ('new key in a table, neither in the param string nor documented',
         mutate(tree, VSIM_PARAMS, '"dma_offset", NULL',
                '"dma_offset", "new_knob", NULL'),
         r'accepts devarg "new_knob" but its RTE_PMD_REGISTER_PARAM_STRING'
         r'|devarg "new_knob" accepted by raw_ntb_vsim is not'),
        ('key missing from a param string',
         mutate(tree, vsim_c, 'db_count=<n>', ''),
         r'accepts devarg "db_count" but its RTE_PMD_REGISTER_PARAM_STRING'),
        ('stale key in a param string',
         mutate(tree, 'drivers/raw/ntb_dwedma/rawdev/ntb_dwedma_pci.c',
                'num_qps=<1..16>', 'num_qps=<1..16> gone=<x>'),
         r'lists "gone", which the driver does not accept'),
        ('ethdev key undocumented',
         mutate(tree, GUIDES + '/nics/ntb_vnet.rst', '"mac=', '"macaddr='),
         r'devarg "mac" accepted by net_ntb_vnet is not'),
        ('rawdev xstat undocumented',
         mutate(tree, GUIDES + '/rawdevs/ntb_dwedma.rst',
                '"intr_spurious"', '"intr_other"'),
         r'xstat "intr_spurious" is not'),
        ('per-queue suffix of the rawdev xstats not written',
         mutate(tree, GUIDES + '/rawdevs/ntb_dwedma.rst', '``_q<N>``',
                'a suffix'),
         r'per-queue suffix ``_q<N>``'),
        ('per-queue ethdev xstat undocumented',
         mutate(tree, COUNTERS, '"rx_q%u_nombuf"', '"rx_q%u_nobufs"'),
         r'xstat "rx_q<N>_nobufs" is not'),
        ('ethdev xstat of its own undocumented',
         mutate(tree, 'drivers/net/ntb_vnet/ntb_vnet_stats.c',
                '"tx_q%u_mtu_drops"', '"tx_q%u_mtu_losses"'),
         r'xstat "tx_q<N>_mtu_losses" is not'),
        ('queue pair counter added to the table without docs',
         mutate(tree, COUNTERS, '#define NTBT_QP_XSTATS(X) \\\n',
                '#define NTBT_QP_XSTATS(X) \\\n'
                '\tX(tx_new, "tx_new", "tx_q%u_new", "tx_new_total", '
                'NTBT_T(tx_pkts)) \\\n'),
         r'xstat "tx_new" is not[\s\S]*|xstat "tx_q<N>_new" is not'),
        ('unknown key table',
         mutate(tree, VNET_DEVARGS, 'const char *\nntb_vnet_mode_name',
                'static const char *const extra_keys[] = { "x", NULL };\n'
                'const char *\nntb_vnet_mode_name'),
         r'key table extra_keys\[\] is not checked'),
    ]
    failed = 0
    for what, t, expect in cases:
        errs = check(t)
        hit = [e for e in errs if re.search(expect, e)]
        print('%s %s' % ('ok  ' if hit else 'FAIL', what))
        for e in hit:
            print('       caught: ' + e)
        if not hit:
            failed += 1
            print('       expected /%s/, got:' % expect, *errs,
                  sep='\n         ')
    print('selftest: %d of %d mutations caught' % (len(cases) - failed,
                                                    len(cases)))
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--root', default=os.environ.get(
        'NTB_SOURCE_DIR', os.path.join(os.path.dirname(__file__), '..', '..')))
    ap.add_argument('--selftest', action='store_true')
    a = ap.parse_args()
    tree = Tree(os.path.abspath(a.root))
    try:
        if a.selftest:
            return selftest(tree)
        errors = check(tree)
        print(summary(tree))
    except CheckError as e:
        print('error: %s' % e)
        return 1
    for e in errors:
        print('error: ' + e)
    print('%d problem(s)' % len(errors))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
