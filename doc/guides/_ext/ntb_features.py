# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 dpdk-vntb developers
#
# Sphinx directive that renders a driver's features file (DPDK's
# doc/guides/nics/features/<driver>.ini form) as a table:
#
#   .. ntb-features:: features/ntb_vnet.ini
#
# The path is relative to the document. Feature names must be those of
# default.ini beside it (which also gives the row order) and values Y
# (supported) or P (partially supported); anything else is an error, so
# "sphinx-build -W" fails on a misspelt or invented feature.

import configparser
import os

from docutils import nodes
from docutils.parsers.rst import Directive, directives

VALUES = {'Y': 'Y', 'P': 'P'}


def read_ini(path):
    """Sections of an ini file as {section: [(name, value), ...]} in order."""
    cp = configparser.ConfigParser(delimiters=('=',),
                                   comment_prefixes=(';',),
                                   inline_comment_prefixes=None,
                                   strict=True, interpolation=None)
    cp.optionxform = str  # feature names are case sensitive
    with open(path, encoding='utf-8') as f:
        cp.read_file(f, source=path)
    return {s: [(k, v.strip()) for k, v in cp.items(s)]
            for s in cp.sections()}


class NtbFeatures(Directive):
    required_arguments = 1
    optional_arguments = 0
    has_content = False
    option_spec = {'caption': directives.unchanged}

    def run(self):
        env = self.state.document.settings.env
        rel, path = env.relfn2path(self.arguments[0], env.docname)
        default = os.path.join(os.path.dirname(path), 'default.ini')
        env.note_dependency(rel)
        env.note_dependency(os.path.relpath(default, env.srcdir))
        driver = os.path.splitext(os.path.basename(path))[0]
        try:
            known = read_ini(default)
            have = read_ini(path)
        except (OSError, configparser.Error) as e:
            raise self.error('ntb-features: %s' % e)

        rows = []
        for section, items in have.items():
            if section not in known:
                raise self.error('ntb-features: %s: section [%s] is not in %s'
                                 % (path, section, default))
            order = [k for k, _ in known[section]]
            for name, value in items:
                if name not in order:
                    raise self.error(
                        'ntb-features: %s: feature "%s" is not in [%s] of %s'
                        % (path, name, section, default))
                if value not in VALUES:
                    raise self.error(
                        'ntb-features: %s: feature "%s" = "%s": the value '
                        'must be Y or P' % (path, name, value))
                rows.append((section, order.index(name), name, value))
        if not rows:
            raise self.error('ntb-features: %s lists no feature' % path)
        rows.sort(key=lambda r: (list(known).index(r[0]), r[1]))

        table = nodes.table(classes=['ntb-features'])
        caption = self.options.get('caption',
                                   'Features of %s' % driver)
        table += nodes.title(text=caption)
        group = nodes.tgroup(cols=2)
        table += group
        group += nodes.colspec(colwidth=70)
        group += nodes.colspec(colwidth=30)
        head = nodes.thead()
        group += head
        head += self._row('Feature', driver)
        body = nodes.tbody()
        group += body
        for _, _, name, value in rows:
            body += self._row(name, VALUES[value])
        return [table]

    @staticmethod
    def _row(*cells):
        row = nodes.row()
        for text in cells:
            entry = nodes.entry()
            entry += nodes.paragraph(text=text)
            row += entry
        return row


def setup(app):
    app.add_directive('ntb-features', NtbFeatures)
    return {'version': '1', 'parallel_read_safe': True,
            'parallel_write_safe': True}
