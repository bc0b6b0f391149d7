#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# build-aux/check-potfiles on small trees: a complete list passes; a source
# with a translatable string that is not listed, and a listed file that
# does not exist, each fail and are named.
#   test-check-potfiles.py PATH-TO-check-potfiles

import os
import subprocess
import sys
import tempfile

checker = sys.argv[1]
failures = 0
count = 0


def make_tree(top, files):
    for path, text in files.items():
        full = os.path.join(top, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'w', encoding='utf-8') as f:
            f.write(text)


def check(name, files, want_rc, want_in_stderr=(), not_in_stderr=()):
    global failures, count
    count += 1
    with tempfile.TemporaryDirectory() as top:
        make_tree(top, files)
        proc = subprocess.run([sys.executable, checker, top], capture_output=True, text=True)
    ok = (proc.returncode == 0) == (want_rc == 0)
    ok = ok and all(s in proc.stderr for s in want_in_stderr)
    ok = ok and not any(s in proc.stderr for s in not_in_stderr)
    print(f'{"ok" if ok else "not ok"} {count} - {name}')
    if not ok:
        failures += 1
        print(f'# exit {proc.returncode}, stderr:')
        for line in proc.stderr.splitlines():
            print(f'#   {line}')


BASE = {
    'src/gui/window.c': 'static const char *t = N_("Title");\nvoid f (void) { g_print ("%s", _("Hello")); }\n',
    'src/core/plain.c': '/* No strings for people here. */\nvoid my_helper_ (const char *s);\n'
                        'void g (void) { my_helper_ ("not a translation"); }\n',
    'ui/window.ui': '<interface><object class="GtkLabel"><property name="label" translatable="yes">Hi</property>'
                    '</object></interface>\n',
    'src/gui/context.c': 'const char *c (void) { return C_("menu", "Open"); }\n',
}
LISTED = '# Comment\n\nsrc/gui/context.c\nsrc/gui/window.c\nui/window.ui\n'

print('1..6')

check('a complete list passes', {**BASE, 'po/POTFILES.in': LISTED}, 0)

check('an unlisted .c file with _() fails and is named',
      {**BASE, 'src/desk/stop.c': 'void s (void) { g_warning ("%s", _("Stopped")); }\n',
       'po/POTFILES.in': LISTED},
      1, ['src/desk/stop.c'], ['src/core/plain.c'])

check('an unlisted .ui file with translatable="yes" fails and is named',
      {**BASE, 'po/POTFILES.in': LISTED.replace('ui/window.ui\n', '')},
      1, ['ui/window.ui'])

check('an unlisted C_() file fails and is named',
      {**BASE, 'po/POTFILES.in': LISTED.replace('src/gui/context.c\n', '')},
      1, ['src/gui/context.c'])

check('a listed file that does not exist fails and is named',
      {**BASE, 'po/POTFILES.in': LISTED + 'src/gui/removed.c\n'},
      1, ['src/gui/removed.c'])

check('no po/POTFILES.in fails', dict(BASE), 1, ['POTFILES.in'])

sys.exit(1 if failures else 0)
