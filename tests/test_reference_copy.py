"""The repository's reference/ is a verbatim copy of the project's shared reference material (../shared/reference):
every golden test reads the copy, so the copy must not drift from the original, file for file and byte for byte."""

from __future__ import annotations

import pytest
from doc_tools import REFERENCE, ROOT

ORIGINAL = ROOT.parent / "shared" / "reference"


def files(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_copy_holds_what_the_tests_read():
    for name in ("osavuosikatsaus-1-6-2025.txt", "tables/tuloslaskelma.csv", "tables/avaintulokset.csv",
                 "tables/toiminnalliset_tavoitteet.csv", "tables/tasapainottamistoimenpiteet.csv",
                 "public/jyvaskyla-2011-talousarvio-ja-toteuma-tileittain.csv", "public/uk-council-spending-monthly.csv"):
        assert (REFERENCE / name).is_file(), name


@pytest.mark.skipif(not ORIGINAL.is_dir(), reason="no ../shared/reference beside this clone to compare the copy with")
def test_the_copy_is_the_original_byte_for_byte():
    copy, original = files(REFERENCE), files(ORIGINAL)
    assert sorted(copy) == sorted(original)
    assert [name for name in original if copy[name] != original[name]] == []
