"""Docs that are generated from code stay current."""
from pathlib import Path

from hrtui.access.policy import markdown_table

ROOT = Path(__file__).resolve().parents[1]


def test_access_doc_shows_the_policy_in_force():
    assert markdown_table() in (ROOT / "docs" / "access.md").read_text(encoding="utf-8")


def test_readme_has_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install .\nhrtui demo" in text
    assert "pip install '.[test]' && pytest" in text
