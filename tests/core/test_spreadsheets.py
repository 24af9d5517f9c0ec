"""The one place that makes exports safe to open in a spreadsheet."""

import io

import openpyxl
import pandas as pd

from accelerator.core.spreadsheets import csv_bytes, neutralise, xlsx_bytes


def test_text_that_a_spreadsheet_would_run_is_neutralised_numbers_are_not():
    assert neutralise('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    for start in ("+", "-", "@", "\t", "\r"):
        assert neutralise(f"{start}1") == f"'{start}1"
    assert neutralise("Lumen Networks") == "Lumen Networks"
    assert neutralise(-5) == -5  # a negative number stays a number


def test_csv_has_a_byte_order_mark_and_neutralised_cells():
    body = csv_bytes(pd.DataFrame([{"startup": "=cmd|' /C calc'!A0", "city": "Sèvres"}]))
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert "'=cmd" in text and "Sèvres" in text


def test_xlsx_drops_control_characters_instead_of_failing():
    body = xlsx_bytes({"Sheet": pd.DataFrame([{"note": "bell\x07 and =1+1"}])})
    sheet = openpyxl.load_workbook(io.BytesIO(body))["Sheet"]
    assert sheet["A2"].value == "bell and =1+1"
    body = xlsx_bytes({"Sheet": pd.DataFrame([{"note": "=1+1"}])})
    assert openpyxl.load_workbook(io.BytesIO(body))["Sheet"]["A2"].value == "'=1+1"
