"""Every component we ship has a licence we can name; an unnamed one is caught."""

import email.message

from annotator.core.util import licences


class FakeDist:
    def __init__(self, **fields):
        self.metadata = email.message.Message()
        for key, value in fields.items():
            values = value if isinstance(value, list) else [value]
            for v in values:
                self.metadata[key.replace("_", "-")] = v


def test_every_installed_dependency_has_a_known_licence():
    items = licences.components()
    names = {c.name.lower() for c in items}
    assert {"pyside6_essentials", "pymupdf-lite", "sqlmodel", "qt", "mupdf", "sqlite"} <= names
    assert licences.unknown(items) == [], [c.name for c in licences.unknown(items)]
    assert next(c for c in items if c.name == "annotator").licence == "AGPL-3.0-or-later"


def test_licence_read_from_expression_then_classifier_then_text():
    assert licences._licence(FakeDist(License_Expression="Apache-2.0 OR MIT")) == "Apache-2.0 OR MIT"
    assert licences._licence(FakeDist(Classifier=["License :: OSI Approved :: MIT License"])) == "MIT"
    assert licences._licence(FakeDist(License="BSD 3-Clause")) == "BSD-3-Clause"
    assert licences._licence(FakeDist(License="Proprietary, all rights reserved")) == licences.UNKNOWN
    assert licences._licence(FakeDist()) == licences.UNKNOWN
    # a whole licence pasted into the field (wordllama): its first line names it
    pasted = "MIT License\n\nCopyright (c) 2024 Someone\n\n" + "Permission is hereby granted. " * 30
    assert licences._licence(FakeDist(License=pasted)) == "MIT"
    assert licences._licence(FakeDist(License="Custom terms\n\n" + "MIT-like words. " * 40)) == (
        licences.UNKNOWN
    )


def test_package_build_refuses_an_unknown_licence(capsys, monkeypatch):
    odd = licences.Component("mystery", "1.0", licences.UNKNOWN)
    monkeypatch.setattr(licences, "components", lambda resources_dir=None: [odd])
    assert licences.main(["--check"]) == 1
    assert "no known licence for mystery 1.0" in capsys.readouterr().err


def test_environment_markers_are_read():
    assert licences._marker_holds('sys_platform == "no-such-platform"') is False
    assert licences._marker_holds('python_version >= "3.8"') is True
    assert licences._marker_holds('python_version < "3.8"') is False


def test_frozen_list_round_trips(tmp_path):
    licences.write_frozen_list(tmp_path)
    assert licences.components(tmp_path) == licences.components()
