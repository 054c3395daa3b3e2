"""Cell values as people type them (issue 8): numbers, dates, months, money, yes/no; headers and separators."""
from __future__ import annotations

import datetime as dt

import pytest

from hrtui.transfer import values as V
from hrtui.transfer.kinds import KINDS, alias_clashes, map_header, norm_header
from hrtui.transfer.source import ImportFailure, sniff_delimiter


@pytest.mark.parametrize("cell", ["85", "85.0", "85分", "85%", "８５", " 85 ", "85 pts", "８５．０", "85％", "85点", 85,
                                  85.0])
def test_every_number_form_reads_85(cell):
    assert V.number(cell) == 85.0


@pytest.mark.parametrize("cell,value", [("1,234.5", 1234.5), ("-3.5", -3.5), ("21天", 21.0), ("140小时", 140.0),
                                        ("7.5h", 7.5), (".5", 0.5)])
def test_more_numbers(cell, value):
    assert V.number(cell) == value


@pytest.mark.parametrize("cell", [None, "", "   ", "\u3000"])
def test_empty_cells_are_missing_not_zero(cell):
    assert V.number(cell) is None
    assert V.date(cell) is None
    assert V.month(cell) is None
    assert V.cents(cell) is None


@pytest.mark.parametrize("cell", ["abc", "85分分", "nan", "inf", "1,2,3", "八十五", dt.date(2026, 3, 1)])
def test_not_numbers(cell):
    with pytest.raises(V.CellError) as err:
        V.number(cell)
    assert err.value.key == "import.val.number"


@pytest.mark.parametrize("cell", ["2026-03-01", "2026/3/1", "2026年3月1日", "20260301", "2026.3.1", "2026-03-01 08:30",
                                  "2026-03-01T00:00:00", "２０２６-０３-０１", "2026年3月1号", 46082, 46082.0, "46082",
                                  20260301, dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 9, 30)])
def test_every_date_form_reads_march_first(cell):
    assert V.date(cell) == "2026-03-01"


def test_excel_serial_numbers():
    assert V.date(1) == "1900-01-01"
    assert V.date(61) == "1900-03-01"  # after Excel's phantom 1900-02-29
    assert V.date(45658) == "2025-01-01"


@pytest.mark.parametrize("cell,key", [("2026-02-30", "import.val.no_such_date"), ("3/1/2026", "import.val.date"),
                                      ("01/03/2026", "import.val.date"), ("yesterday", "import.val.date"),
                                      (-5, "import.val.date"), (10_000_000, "import.val.date")])
def test_bad_dates_say_what_was_expected(cell, key):
    with pytest.raises(V.CellError) as err:
        V.date(cell)
    assert err.value.key == key


@pytest.mark.parametrize("cell", ["2026-03", "2026年3月", "2026/3", "2026.03", "202603", "2026-3", "2026年03月份",
                                  "Mar 2026", "march 2026", "2026-03-15", "2026年3月1日", dt.date(2026, 3, 1),
                                  dt.datetime(2026, 3, 31), 202603, 46082, "２０２６年３月"])
def test_every_month_form_reads_2026_03(cell):
    assert V.month(cell) == "2026-03"


@pytest.mark.parametrize("cell", ["2026-13", "2026年0月", "March", "26-03", "2026.1x", 2026.1, "Foo 2026"])
def test_bad_months(cell):
    with pytest.raises(V.CellError) as err:
        V.month(cell)
    assert err.value.key == "import.val.month"


def test_month_cache_remembers_good_cells_only():
    cache = V.MonthCache()
    assert cache("2026年3月") == "2026-03" and cache("2026年3月") == "2026-03"
    with pytest.raises(V.CellError):
        cache("bad")
    with pytest.raises(V.CellError):
        cache("bad")


@pytest.mark.parametrize("cell,cents", [("12345.67", 1234567), ("12,345.67", 1234567), ("¥12345", 1234500),
                                        ("12345.6元", 1234560), ("1.2万", 1200000), ("０", 0), (8000, 800000),
                                        (8000.5, 800050), ("$99.99", 9999)])
def test_money_in_integer_cents(cell, cents):
    assert V.cents(cell) == cents


@pytest.mark.parametrize("cell,key", [("12.345", "import.val.money_decimals"), ("-1", "import.val.money_negative"),
                                      ("abc", "import.val.money"), (float("nan"), "import.val.money")])
def test_bad_money(cell, key):
    with pytest.raises(V.CellError) as err:
        V.cents(cell)
    assert err.value.key == key


@pytest.mark.parametrize("cell,value", [("是", 1), ("否", 0), ("Yes", 1), ("n", 0), ("1", 1), (0, 0), ("√", 1),
                                        ("必修", 1), ("TRUE", 1)])
def test_yes_no(cell, value):
    assert V.flag(cell) == value


def test_text_cells_are_normalised():
    assert V.text("  Ｅ０００１ ") == "E0001"
    assert V.text(123.0) == "123"  # an employee number Excel stored as a number
    assert V.text("'=SUM(A1)") == "=SUM(A1)"  # a spreadsheet's formula guard is not part of the value
    assert V.text("") is None


def test_range_errors_carry_the_bounds():
    with pytest.raises(V.CellError) as err:
        V.ranged("120", 0, 100)
    assert err.value.fields == {"value": "120", "lo": "0", "hi": "100"}


# -- headers ---------------------------------------------------------------------------------------------------------
def test_headers_are_case_width_and_space_insensitive():
    assert norm_header("Employee ID") == norm_header("employee_id") == norm_header("EMPLOYEE-ID")
    assert norm_header("工号 *") == norm_header("工号")
    m = map_header(KINDS["scores"], ["Employee ID", " 指标 ", "MONTH", "得分（0-100）", "备注"], "native", None)
    assert [c.key for c in m.columns] == ["employee", "dimension", "month", "score", None]
    assert [c.header for c in m.ignored] == ["备注"]


@pytest.mark.parametrize("header", [["工号", "维度", "月份", "分数"], ["员工编号", "指标", "月", "得分"],
                                    ["employee_id", "dimension", "month", "score"],
                                    ["Employee No", "KPI", "Period", "Value"]])
def test_zh_and_en_aliases(header):
    m = map_header(KINDS["scores"], header, "native", None)
    assert [c.key for c in m.columns] == ["employee", "dimension", "month", "score"]


def test_no_header_word_means_two_columns_of_one_kind():
    assert alias_clashes() == []


def test_header_refusals():
    with pytest.raises(ImportFailure) as err:
        map_header(KINDS["scores"], ["foo", "bar"], "native", None)
    assert err.value.key == "import.header.nothing_known" and "工号/employee" in str(err.value)
    with pytest.raises(ImportFailure) as err:
        map_header(KINDS["scores"], ["工号", "月份", "得分"], "native", None)
    assert err.value.key == "import.header.missing" and "指标/dimension" in str(err.value)
    with pytest.raises(ImportFailure) as err:
        map_header(KINDS["scores"], ["工号", "employee_id", "指标", "月份", "得分"], "native", None)
    assert err.value.key == "import.header.twice"
    with pytest.raises(ImportFailure) as err:
        map_header(KINDS["scores"], ["工号"], "orangehrm", None)
    assert err.value.key == "import.layout.employees_only"


def test_wide_score_header_uses_dimension_columns():
    dims = {norm_header("CSAT"): "CSAT", norm_header("客户满意度"): "CSAT", norm_header("工作效率"): "EFFICIENCY"}
    m = map_header(KINDS["scores"], ["工号", "月份", "客户满意度", "工作效率（分）"], "native", dims)
    assert m.wide and [c.key for c in m.columns] == ["employee", "month", "dim:CSAT", "dim:EFFICIENCY"]


# -- separators ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_separator_sniffing(sep):
    lines = [sep.join(["工号", "指标", "月份", "得分"]) + "\n", sep.join(["E1", "CSAT", "2026-03", "85"]) + "\n"]
    assert sniff_delimiter(lines) == sep


def test_sniffing_respects_quotes_and_decimal_commas():
    lines = ['工号;备注;得分\n', 'E1;"a, b, c";85,5\n', 'E2;"x, y";90\n']
    assert sniff_delimiter(lines) == ";"
    assert sniff_delimiter(["name\n", "x\n"]) == ","


def test_the_guide_lists_every_column_and_header_word():
    from pathlib import Path

    from hrtui.transfer.kinds import ORANGEHRM

    text = (Path(__file__).resolve().parents[1] / "docs" / "import.md").read_text(encoding="utf-8")
    for kind in KINDS.values():
        assert f"#### {kind.name} ({kind.zh})" in text
        for f in kind.fields:
            assert f"`{f.en}`" in text and f.zh in text, (kind.name, f.key)
            for word in f.aliases:
                assert word in text, (kind.name, f.key, word)
    for column in ORANGEHRM:
        assert f"`{column}`" in text


# -- forms that must not pass as numbers (review) ----------------------------------------------------------------------
@pytest.mark.parametrize("cell", ["1_0", "8 5", "1_000e-1", "1 00", "1 0000", "12,5", True, False, 10 ** 400])
def test_underscores_stray_spaces_and_booleans_are_not_numbers(cell):
    with pytest.raises(V.CellError) as err:
        V.number(cell)
    assert err.value.key == "import.val.number"


@pytest.mark.parametrize("cell,value", [("1 000", 1000), ("1 234.5", 1234.5), ("12 345 678", 12345678),
                                        ("1\u00a0000", 1000), ("10 000分", 10000), ("85 分", 85)])
def test_spaces_group_thousands(cell, value):
    assert V.number(cell) == value


def test_an_xlsx_boolean_is_shown_as_the_spreadsheet_shows_it():
    with pytest.raises(V.CellError) as err:
        V.number(True)
    assert err.value.fields == {"value": "TRUE"}


@pytest.mark.parametrize("cell,key", [("99999999999999999999999", "import.val.money_max"),
                                      (1e300, "import.val.money_max"), ("1000000000.01", "import.val.money_max"),
                                      ("1 2", "import.val.money"), ("1,2", "import.val.money"),
                                      ("12,5", "import.val.money"), ("1_000", "import.val.money")])
def test_absurd_or_oddly_written_amounts(cell, key):
    with pytest.raises(V.CellError) as err:
        V.cents(cell)
    assert err.value.key == key


def test_the_largest_amount_and_spaced_thousands():
    assert V.cents("1000000000") == 100_000_000_000 < 2 ** 63
    assert V.cents("12 345.67") == 1234567


def test_a_range_error_echoes_the_cell_as_written():
    with pytest.raises(V.CellError) as err:
        V.ranged("1e308", 0, 744)
    assert err.value.fields["value"] == "1e308"
    assert V.fmt(1e308) == "1e+308"


def test_clean_drops_format_characters_and_refuses_control_characters():
    assert V.clean("E000001\u200b") == "E000001"
    assert V.clean("\ufeff\u202eCSAT\u200d") == "CSAT"
    assert V.clean("a\tb") == "a\tb" and V.clean("Ann\r\n") == "Ann" and V.clean(85) == 85
    for cell in ("\x1b[31mRed", "Red\x07", "a\x7fb", "a\x9bb", "line\nbreak"):
        with pytest.raises(V.CellError) as err:
            V.clean(cell)
        assert err.value.key == "import.val.control"
    assert V.show("\x1b[2Jx\u200b") == "\\x1b[2Jx"  # a preview never prints a control character either
