"""Roster filtering, sorting and paging against the demo organisation."""
from __future__ import annotations

from hrtui.domain.roster import Roster, name_terms
from hrtui.store.db import database


def everything(roster):
    return roster.page(0, roster.count() + 5)


def test_name_terms_cover_cjk_substrings_and_latin_prefixes():
    terms = name_terms("欧阳秀英", "Ouyang Xiuying")
    assert {"欧", "阳秀", "秀英", "欧阳秀英"} <= terms
    assert {"o", "ouy", "xiu", "xiuying", "ouyangx"} <= terms
    assert "yang" not in terms  # Latin matches word starts, not the middle of a word


def test_cjk_fragments_of_one_and_two_characters_match(actor_of):
    admin = actor_of("admin")
    names = [r.name_zh for r in everything(Roster(admin, "张"))]
    assert names and all("张" in n for n in names)
    expected = database.execute_sql("SELECT count(*) FROM employee WHERE name_zh LIKE '%张%'").fetchone()[0]
    assert len(names) == expected
    two = database.execute_sql("SELECT substr(name_zh, 1, 2) FROM employee LIMIT 1").fetchone()[0]
    rows = everything(Roster(admin, two))
    assert rows and all(two in r.name_zh for r in rows)


def test_number_prefix_department_and_latin_fragment(actor_of):
    admin = actor_of("admin")
    assert [r.number for r in everything(Roster(admin, "E00012"))] == [f"E00012{i}" for i in range(10)]
    assert [r.number for r in everything(Roster(admin, "e000120"))] == ["E000120"]
    rd = everything(Roster(admin, "RD"))
    assert rd and {r.department_code for r in rd} >= {"RD"}
    assert len([r for r in rd if r.department_code == "RD"]) == 72
    assert {r.department_code for r in everything(Roster(admin, "客服"))} == {"CS"}
    wang = everything(Roster(admin, "wan"))
    assert wang and all(any(w.startswith("wan") for w in r.name_en.lower().split()) for r in wang)


def test_digits_find_the_end_of_a_number_within_scope(actor_of):
    # "60" is how people say E000060; every number ending so matches, in number order
    assert [r.number for r in everything(Roster(actor_of("admin"), "60"))] == ["E000060", "E000160"]
    sales = everything(Roster(actor_of("hr.sales"), "0"))
    assert sales and all(r.number.endswith("0") and r.department_code == "SALES" for r in sales)


def test_results_come_in_number_order_and_pages_join_up(actor_of):
    roster = Roster(actor_of("admin"), "a")
    numbers = [r.number for r in everything(roster)]
    assert numbers == sorted(numbers)
    paged = [r.number for off in range(0, roster.count(), 7) for r in roster.page(off, 7)]
    assert paged == numbers


def test_several_words_must_all_match(actor_of):
    admin = actor_of("admin")
    rows = everything(Roster(admin, "SALES 李"))
    assert rows and all(r.department_code == "SALES" and "李" in r.name_zh for r in rows)


def test_sorts(actor_of):
    admin = actor_of("admin")
    scores = [r.score for r in everything(Roster(admin, sort="score", descending=True))]
    assert scores == sorted(scores, reverse=True)
    names = [r.name_en.lower() for r in everything(Roster(admin, sort="name"))]
    assert names == sorted(names)
    depts = [r.department_code for r in everything(Roster(admin, "a", sort="department"))]
    assert depts == sorted(depts)


def test_no_match_is_empty(actor_of):
    roster = Roster(actor_of("admin"), "qqqzzz")
    assert roster.count() == 0 and roster.page(0, 10) == []
