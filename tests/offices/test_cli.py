"""`nwow offices near` and `nwow offices province`, invoked through the console command's entry point."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from nwow.offices.places import haversine_km
from tests.offices.conftest import FIXTURE_OFFICES, OfficesFile, office_yaml


def test_near_json_with_the_default_file(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["offices", "near", "--json", "Lüttich"])

    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["place"]["name"] == "Luik / Liège"
    assert out["place"]["lat"] == pytest.approx(50.63, abs=0.05)
    assert out["place"]["lon"] == pytest.approx(5.57, abs=0.05)
    assert 1 <= len(out["offices"]) <= 3
    distances = [o["distance_km"] for o in out["offices"]]
    assert distances == sorted(distances)
    assert {"id", "name", "distance_km"} <= out["offices"][0].keys()


def test_near_json_ranks_the_offices(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["offices", "near", "--json", "--offices", str(FIXTURE_OFFICES), "Lüttich"])

    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [o["id"] for o in out["offices"]] == ["eupen", "aalst", "gent"]
    liege = (out["place"]["lat"], out["place"]["lon"])
    assert out["offices"][0]["distance_km"] == pytest.approx(haversine_km(*liege, 50.6279, 6.0365), abs=2)


def test_near_json_with_a_given_file(offices_file: OfficesFile, capsys: pytest.CaptureFixture[str]) -> None:
    path = offices_file(
        "offices:\n"
        + office_yaml("near", "9000", coordinates=(51.06, 3.72))
        + "\n"
        + office_yaml("far", "8000", coordinates=(51.2, 3.22))
    )

    code = main(["offices", "near", "--json", "--offices", str(path), "9000"])

    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["place"] == {"name": "9000 Gent", "lat": out["place"]["lat"], "lon": out["place"]["lon"]}
    near, far = out["offices"]
    assert (near["id"], far["id"]) == ("near", "far")
    expected = haversine_km(out["place"]["lat"], out["place"]["lon"], 51.2, 3.22)
    assert far["distance_km"] == pytest.approx(expected, abs=0.01)
    assert near["name"] == "Kantoor near"


def test_near_unknown_place_is_an_error_object(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["offices", "near", "--json", "Gnet"])

    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert out["error"] == "ambiguous place"
    assert out["query"] == "Gnet"
    assert "Gent / Gand" in out["suggestions"]
    assert len(out["suggestions"]) <= 5


def test_near_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["offices", "near", "--offices", str(FIXTURE_OFFICES), "Bergen", "-n", "1", "--lang", "fr"])

    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert lines[0].startswith("Bergen / Mons (50.45")
    assert len(lines) == 2
    assert "aalst  Bureau satellite Alost  [" in lines[1]


def test_a_broken_offices_file_exits_2(offices_file: OfficesFile, capsys: pytest.CaptureFixture[str]) -> None:
    path = offices_file("offices:\n" + office_yaml("x", "1234"))

    code = main(["offices", "near", "--offices", str(path), "Gent"])

    assert code == 2
    assert "unknown postal code '1234'" in capsys.readouterr().err


def test_province(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["offices", "province", "--json", "--offices", str(FIXTURE_OFFICES), "Provinz Ostflandern"])

    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["province"]["id"] == "40000"
    assert [o["id"] for o in out["offices"]] == ["aalst", "gent"]


def test_unknown_province(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["offices", "province", "--json", "Atlantis"])

    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert out["error"] == "unknown province"
    assert len(out["suggestions"]) == 11


def test_near_a_province_points_to_the_province_listing(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["offices", "near", "--json", "East Flanders"])

    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert out == {
        "error": "a province, not a place",
        "query": "East Flanders",
        "province": "40000",
        "try": "nwow offices province 40000",
    }
