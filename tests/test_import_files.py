"""Files as they arrive (issue 8): every encoding, separator and XLSX shape, and every unreadable file refused with
one clear message and the database unchanged."""
from __future__ import annotations

import datetime as dt

import pytest

from hrtui.transfer.source import ImportFailure
from tests.test_import_support import count, fingerprint, run, score_of, write_csv, write_xlsx

NAMES = [["工号", "姓名", "英文名", "部门", "职位", "入职日期"],
         ["X0001", "张伟", "Zhang Wei", "SALES", "SALES-REP", "2026-03-01"],
         ["X0002", "欧阳𠮷", "Ouyang Ji", "销售部", "销售代表", "2026年3月1日"]]  # 𠮷 is outside GBK: GB18030 only


@pytest.mark.parametrize("encoding,bom,label", [("utf-8", False, "UTF-8"), ("utf-8", True, "UTF-8 (BOM)"),
                                                ("gb18030", False, "GB18030/GBK"), ("utf-16", False, "UTF-16")])
def test_each_encoding_is_detected(demo_db, actor_of, tmp_path, encoding, bom, label):
    path = write_csv(tmp_path / "people.csv", NAMES, encoding=encoding, bom=bom,
                     delimiter="\t" if encoding == "utf-16" else ",")
    report = run(actor_of("admin"), "employees", path)
    assert report.encoding == label and report.committed
    assert (report.new, report.invalid) == (2, 0)
    from hrtui.store.models import Employee

    assert Employee.get(Employee.number == "X0002").name_zh == "欧阳𠮷"


def test_gbk_file(demo_db, actor_of, tmp_path):
    rows = [r[:5] for r in NAMES[:2]]
    path = write_csv(tmp_path / "gbk.csv", rows, encoding="gbk")
    assert path.read_bytes().find("张伟".encode("gbk")) > 0
    report = run(actor_of("admin"), "employees", path)
    assert report.encoding == "GB18030/GBK" and report.new == 1
    again = run(actor_of("admin"), "employees", path, encoding="gbk")
    assert again.unchanged == 1


def test_wrong_explicit_encoding_names_the_offset(demo_db, actor_of, tmp_path):
    path = write_csv(tmp_path / "gbk.csv", NAMES[:2], encoding="gbk")
    before = fingerprint()
    with pytest.raises(ImportFailure) as err:
        run(actor_of("admin"), "employees", path, encoding="utf-8")
    offset = path.read_bytes().index("工号".encode("gbk"))
    assert err.value.key == "import.file.decode" and f"offset {offset}" in str(err.value)
    assert fingerprint() == before


def test_explicit_gbk_on_a_utf8_file_is_refused_not_misread(demo_db, actor_of, tmp_path):
    path = write_csv(tmp_path / "utf8.csv", NAMES[:2])
    message = _refused(actor_of("admin"), "employees", path, encoding="gbk")
    assert message.startswith("the file is UTF-8")
    ascii_only = write_csv(tmp_path / "ascii.csv", [["number", "name", "department"], ["X1", "Ann Lee", "HR"]])
    assert run(actor_of("admin"), "employees", ascii_only, encoding="gbk").new == 1


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_each_separator(demo_db, actor_of, tmp_path, sep):
    path = write_csv(tmp_path / "s.csv", [["工号", "指标", "月份", "得分"], ["E000001", "CSAT", "2026-03", "85,5" if sep == ";"
                                                                         else "85.5"]], delimiter=sep)
    if sep == ";":  # European decimal commas are not read as numbers: a clear error, not 855
        report = run(actor_of("admin"), "scores", path)
        assert report.invalid == 1 and "expected a number, got '85,5'" in report.errors[0].line("en")
        return
    report = run(actor_of("admin"), "scores", path)
    assert report.delimiter == ("TAB" if sep == "\t" else sep) and report.updated == 1
    assert score_of("E000001", "CSAT", "2026-03") == 85.5


def test_xlsx_with_date_cells_serial_numbers_and_percent(demo_db, actor_of, tmp_path):
    rows = [["工号", "指标", "月份", "得分"],
            ["E000001", "CSAT", dt.datetime(2026, 3, 1), 81],                 # a date cell
            ["E000002", "CSAT", 46082, 82.5],                                 # an Excel serial number (2026-03-01)
            ["E000003", "客户投诉率", "2026年3月", 0.035],                     # 3.5 % shown as a percent cell
            ["E000004", "Customer satisfaction", "2026-03", "８４分"]]
    path = write_xlsx(tmp_path / "s.xlsx", rows, formats={"D4": "0.0%"})
    report = run(actor_of("admin"), "scores", path)
    assert report.file_type == "xlsx" and report.sheet == "Sheet1"
    assert (report.updated + report.new, report.invalid) == (4, 0), [e.line("en") for e in report.errors]
    assert score_of("E000001", "CSAT", "2026-03") == 81
    assert score_of("E000002", "CSAT", "2026-03") == 82.5
    assert score_of("E000003", "COMPLAINT", "2026-03") == pytest.approx(3.5)
    assert score_of("E000004", "CSAT", "2026-03") == 84


def test_xlsx_dates_for_employees_and_a_title_row(demo_db, actor_of, tmp_path):
    rows = [["工号", "姓名", "部门", "入职日期"],
            ["X0100", "李娜", "RD", dt.date(2025, 7, 1)],
            ["X0101", "王芳", "RD", 45839],            # 2025-07-01 as a serial number
            ["X0102", "赵敏", "RD", "20250701"]]
    path = write_xlsx(tmp_path / "people.xlsx", rows, sheet="名单", before=[["2025 年 7 月入职名单"], []])
    report = run(actor_of("admin"), "employees", path, sheet="名单")
    assert report.header_row == 3 and report.new == 3
    from hrtui.store.db import database

    dates = {r[0] for r in database.execute_sql("SELECT hire_date FROM employee WHERE number LIKE 'X01%'")}
    assert dates == {"2025-07-01"}


def test_xlsx_second_sheet_by_number_and_unknown_sheet(demo_db, actor_of, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["nothing here"])
    ws = wb.create_sheet("scores")
    ws.append(["工号", "指标", "月份", "得分"])
    ws.append(["E000001", "CSAT", "2026-03", 77])
    wb.save(tmp_path / "two.xlsx")
    assert run(actor_of("admin"), "scores", tmp_path / "two.xlsx", sheet="2").updated == 1
    before = fingerprint()
    with pytest.raises(ImportFailure) as err:
        run(actor_of("admin"), "scores", tmp_path / "two.xlsx", sheet="Scores 2026")
    assert "no sheet 'Scores 2026'" in str(err.value) and "scores" in str(err.value)
    assert fingerprint() == before


# -- files that cannot be imported -----------------------------------------------------------------------------------
def _refused(actor, kind, path, **options) -> str:
    before = fingerprint()
    with pytest.raises(ImportFailure) as err:
        run(actor, kind, path, **options)
    assert fingerprint() == before
    assert "\n" not in str(err.value)
    return str(err.value)


def test_unknown_encoding_names_the_byte_offset(demo_db, actor_of, tmp_path):
    data = "工号,指标,月份,得分\nE000001,CSAT,2026-03,85\n".encode() + b"E000002,\x80\xff\xfe,2026-03,85\n"
    (tmp_path / "bad.csv").write_bytes(data)
    message = _refused(actor_of("admin"), "scores", tmp_path / "bad.csv")
    offset = data.index(b"\x80")
    assert message.startswith("unknown encoding") and f"offset {offset}" in message


def test_binary_junk(demo_db, actor_of, tmp_path):
    import random

    rng = random.Random(8)
    junk = bytes(rng.randrange(256) for _ in range(4096))
    (tmp_path / "junk.csv").write_bytes(junk)
    assert "not a text file" in _refused(actor_of("admin"), "scores", tmp_path / "junk.csv")
    no_nul = bytes(b or 0xFF for b in junk)
    (tmp_path / "junk2.csv").write_bytes(no_nul)
    assert "unknown encoding" in _refused(actor_of("admin"), "scores", tmp_path / "junk2.csv")


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \n", b",,,\n,,\n"])
def test_empty_files(demo_db, actor_of, tmp_path, content):
    (tmp_path / "empty.csv").write_bytes(content)
    assert "is empty" in _refused(actor_of("admin"), "scores", tmp_path / "empty.csv")


def test_header_with_no_known_column(demo_db, actor_of, tmp_path):
    path = write_csv(tmp_path / "odd.csv", [["foo", "bar"], ["1", "2"]])
    message = _refused(actor_of("admin"), "scores", path)
    assert message == ("no known column in the header (found: foo, bar); scores needs 工号/employee, "
                       "指标/dimension, 月份/month, 得分/score")


def test_other_unreadable_files(demo_db, actor_of, tmp_path):
    admin = actor_of("admin")
    assert "no file" in _refused(admin, "scores", tmp_path / "missing.csv")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert "old Excel .xls" in _refused(admin, "scores", tmp_path / "old.xls")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"garbage" * 20)
    assert "not a readable .xlsx" in _refused(admin, "scores", tmp_path / "broken.xlsx")
    big = "x" * 200_000
    path = write_csv(tmp_path / "big.csv", [["工号", "指标", "月份", "得分"], ["E000001", "CSAT", "2026-03", "85"],
                                            ["E000002", big, "2026-03", "85"]])
    assert _refused(admin, "scores", path).startswith("row 3: malformed CSV")
    with pytest.raises(ImportFailure) as err:
        run(admin, "everything", path)
    assert err.value.key == "import.kind.unknown"


def test_failures_speak_chinese_too(demo_db, actor_of, tmp_path):
    path = write_csv(tmp_path / "odd.csv", [["foo"], ["1"]])
    with pytest.raises(ImportFailure) as err:
        run(actor_of("admin"), "scores", path)
    assert err.value.message("zh").startswith("表头中没有可识别的列")
    assert count("score", "month = '2026-11'") == 0


# -- file-level messages (review) --------------------------------------------------------------------------------------
def test_gbk_text_behind_a_utf8_bom_names_the_real_offset_and_the_option(demo_db, actor_of, tmp_path):
    data = b"\xef\xbb\xbf" + "employee,dimension,month,score\r\nE000001,客户满意度,2026-03,64\r\n".encode("gbk")
    (tmp_path / "bom.csv").write_bytes(data)
    offset = data.index("客户满意度".encode("gbk"))
    assert _refused(actor_of("admin"), "scores", tmp_path / "bom.csv") == (
        f"the file starts with a UTF-8 byte-order mark but is not valid UTF-8: invalid byte at offset {offset}; "
        "if it was saved as GBK, use --encoding gbk")
    report = run(actor_of("admin"), "scores", tmp_path / "bom.csv", encoding="gbk")  # the option it names works
    assert report.updated == 1 and score_of("E000001", "CSAT", "2026-03") == 64


def test_a_bad_pair_in_utf16_names_its_offset(demo_db, actor_of, tmp_path):
    good = "工号\t指标\t月份\t得分\r\nE000001\tCSAT\t2026-03\t64\r\n".encode("utf-16-le")
    data = b"\xff\xfe" + good + b"\x00\xd8" + "E000002\tCSAT\t2026-03\t65\r\n".encode("utf-16-le")  # a lone surrogate
    (tmp_path / "u16.csv").write_bytes(data)
    assert _refused(actor_of("admin"), "scores", tmp_path / "u16.csv") == (
        "the file starts with a UTF-16 byte-order mark but is not valid UTF-16: invalid byte at offset "
        f"{2 + len(good)}; save it again as UTF-8 CSV")


def test_a_password_protected_workbook_is_named_as_such(demo_db, actor_of, tmp_path):
    (tmp_path / "pay.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)  # Excel encrypts into OLE2
    assert _refused(actor_of("admin"), "salary", tmp_path / "pay.xlsx") == (
        "pay.xlsx is an encrypted (password-protected) workbook or an old Excel .xls file: save it as .xlsx "
        "without a password, or as CSV")


@pytest.mark.parametrize("where", [2, 4])  # zlib fails / the XML breaks, after some rows were already read
def test_a_damaged_workbook_is_one_line_naming_the_file(demo_db, tmp_path, where):
    from tests.test_import_cli import hrtui

    path = write_xlsx(tmp_path / "scores.xlsx", [["工号", "指标", "月份", "得分"]]
                      + [[f"E{n:06d}", "CSAT", "2026-03", 50] for n in range(1, 200)])
    data = bytearray(path.read_bytes())
    import zipfile

    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    at = info.header_offset
    start = at + 30 + int.from_bytes(data[at + 26:at + 28], "little") + int.from_bytes(data[at + 28:at + 30], "little")
    data[start + info.compress_size // where] ^= 0x10  # one bit flipped in the sheet's compressed data
    path.write_bytes(data)
    before = fingerprint()
    proc = hrtui("import", "scores", str(path), "--db", str(demo_db))
    assert (proc.returncode, proc.stderr.strip()) == (
        1, "hrtui: scores.xlsx is damaged: its data cannot be read; open it in Excel (which may repair it) and save "
           "it again")
    assert fingerprint() == before


def test_a_file_cut_inside_a_quoted_value_is_refused_with_its_row(demo_db, actor_of, tmp_path):
    # The last value of a truncated file would otherwise be read as "8" and imported as a score of 8.
    (tmp_path / "cut.csv").write_bytes(b'employee,dimension,month,score\nE000034,CSAT,2026-11,"8')
    message = _refused(actor_of("admin"), "scores", tmp_path / "cut.csv")
    assert message.startswith("row 2: malformed CSV"), message


@pytest.mark.parametrize("name", ["scores.csv", "scores", "export.XLSX"])
def test_a_workbook_is_read_by_its_content_whatever_its_name(demo_db, actor_of, tmp_path, name):
    book = write_xlsx(tmp_path / "book.xlsx", [["工号", "指标", "月份", "得分"], ["E000001", "CSAT", "2026-03", 61]])
    path = book.rename(tmp_path / name)
    report = run(actor_of("admin"), "scores", path)
    assert report.committed and score_of("E000001", "CSAT", "2026-03") == 61
