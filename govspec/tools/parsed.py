"""``python -m govspec.tools.parsed``: write the parsed copy of every shipped spec (:mod:`govspec.spec.parsed`),
which a run reads instead of YAML while the spec file is as the copy was made from.  Run it after changing a file
in ``specs/``; ``tests/test_parsed.py`` fails until it is run."""

from __future__ import annotations

import sys

from govspec.errors import SpecError
from govspec.io.writers import write_atomic
from govspec.spec import parsed, resolver


def main(argv: list[str]) -> int:
    if argv:
        sys.stderr.write("usage: python -m govspec.tools.parsed (writes govspec/spec/parsed/ from specs/)\n")
        return 2
    parsed.FOLDER.mkdir(exist_ok=True)
    shipped = sorted(resolver.specs_dir().glob("*.yaml"))
    names = {parsed.copy_path(path).name for path in shipped}
    for old in parsed.FOLDER.glob("*.json"):
        if old.name not in names:  # the copy of a spec no longer shipped
            old.unlink()
            sys.stdout.write(f"removed {old}\n")
    status = 0
    for path in shipped:
        try:
            copy = parsed.made(path)
        except SpecError as error:
            sys.stderr.write(f"{error}\n")
            status = 1
            continue
        if copy is None:
            sys.stdout.write(f"{path}: no copy (its data does not come back from JSON as YAML reads it)\n")
            continue
        write_atomic(parsed.copy_path(path), parsed.copy_text(copy))
        sys.stdout.write(f"wrote {parsed.copy_path(path)}\n")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
