import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from handlespor.engine.cli import EXIT_INFEASIBLE, EXIT_INPUT, main

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    for name in ("applicants.xlsx", "applicants.csv", "targets.toml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    return tmp_path


def _edit_csv(folder: Path, old: str, new: str) -> Path:
    path = folder / "applicants.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return path


def _edit_toml(folder: Path, old: str, new: str) -> Path:
    path = folder / "targets.toml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return path


def test_compose_xlsx_writes_every_sheet(files: Path, capsys):
    out = files / "composition.xlsx"

    code = main(
        [
            str(files / "applicants.xlsx"),
            "--targets",
            str(files / "targets.toml"),
            "-o",
            str(out),
            "--alternatives",
            "1",
        ]
    )

    printed = capsys.readouterr()
    assert code == 0
    assert "Status: optimal (bevist)" in printed.out
    assert "Trivsel i musiklivet: 12 deltagere" in printed.out
    assert "targets" in printed.err  # progress per level
    book = load_workbook(out)
    assert book.sheetnames == [
        "Sammensætning",
        "Repræsentation",
        "Begrundelser",
        "Ventelister",
        "Alternativer",
        "Oversigt",
    ]
    assert book["Sammensætning"].max_row == 1 + 48
    assert book["Oversigt"]["B1"].value == "optimal"


def test_compose_csv_in_and_out(files: Path):
    out = files / "composition.csv"

    code = main(
        [str(files / "applicants.csv"), "--targets", str(files / "targets.toml"), "-o", str(out)]
    )

    assert code == 0
    assert (
        (files / "composition-begrundelser.csv")
        .read_text(encoding="utf-8-sig")
        .startswith("Navn;Organisation;Begrundelse")
    )


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("Køn", "Gender"), "applicants.csv: kolonnen “Køn” mangler (navngivet i targets.toml)."),
        (("Trivsel i musiklivet", "Trivsel i musiklivvet"), "applicants.csv, række "),
        (
            (";Kvinde;", ";Kvinnde;"),
            "“Kvinnde” er ikke en af: Kvinde, Mand, Nonbinær, Andet, Ønsker ikke at oplyse",
        ),
        ((";ja;", ";måske;"), "“måske” er hverken ja eller nej"),
    ],
)
def test_bad_applicants_file_names_file_row_and_column(files: Path, capsys, edit, message):
    path = _edit_csv(files, *edit)

    code = main([str(path), "--targets", str(files / "targets.toml")])

    assert code == EXIT_INPUT
    assert message in capsys.readouterr().err


def test_unknown_track_names_row_and_column(files: Path, capsys):
    path = _edit_csv(files, "Grønnere musik", "Blå musik")

    main([str(path), "--targets", str(files / "targets.toml")])

    error = capsys.readouterr().err
    assert "kolonne “1. prioritet”: ukendt handlespor “Blå musik”" in error or (
        "kolonne “2. prioritet”: ukendt handlespor “Blå musik”" in error
    )
    assert "række " in error


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ('kind = "min_share"', 'kind = "most"'),
            "targets.toml, [[targets]] nr. 1: kind: Input should be",
        ),
        (
            ("amount = 40", "amount = 140"),
            "targets.toml, [[targets]] nr. 1: Value error, a share is a percentage from 0 to 100",
        ),
        (("[rules]", "[rules"), "targets.toml: kan ikke læses som TOML"),
        (
            ('name = "Grønnere musik"\nmin = 8', 'name = "Grønnere musik"\nmin = 13'),
            "[[tracks]] nr. 4: Value error, track t4: min_seats above max_seats",
        ),
    ],
)
def test_bad_targets_file_is_named(files: Path, capsys, edit, message):
    _edit_toml(files, *edit)

    code = main([str(files / "applicants.csv"), "--targets", str(files / "targets.toml")])

    assert code == EXIT_INPUT
    assert message in capsys.readouterr().err


def test_missing_file_is_named(files: Path, capsys):
    code = main([str(files / "nope.xlsx"), "--targets", str(files / "targets.toml")])

    assert code == EXIT_INPUT
    assert "nope.xlsx: filen findes ikke." in capsys.readouterr().err


def test_infeasible_prints_the_diagnosis(files: Path, capsys):
    _edit_toml(files, "min_seats_hard = false", "min_seats_hard = true")
    _edit_toml(
        files,
        'name = "Grønnere musik"\nmin = 8\nmax = 12',
        'name = "Grønnere musik"\nmin = 40\nmax = 40',
    )

    code = main([str(files / "applicants.csv"), "--targets", str(files / "targets.toml")])

    err = capsys.readouterr().err
    assert code == EXIT_INFEASIBLE
    assert "Grønnere musik skal have mindst 40 deltagere, men kun" in err


def test_handlespor_command_dispatches_compose_without_django(files: Path):
    from handlespor.cli import main as handlespor

    with pytest.raises(SystemExit) as exit_:
        handlespor(
            [
                "handlespor",
                "compose",
                str(files / "applicants.csv"),
                "--targets",
                str(files / "targets.toml"),
            ]
        )

    assert exit_.value.code == 0


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("[rules]", "[rule]"), "targets.toml: ukendt afsnit [rule]; mente du [rules]?"),
        (
            ("[rules]\n", "[rules]\nmaks = 2\n"),
            "targets.toml, [rules]: ukendt nøgle “maks”",
        ),
        (
            ('separator = ","', 'seperator = ","'),
            "targets.toml, [attributes.musikfelt]: ukendt nøgle “seperator”; mente du “separator”?",
        ),
        (
            ('first_choice = "1. prioritet"', 'frist_choice = "1. prioritet"'),
            "targets.toml, [columns]: ukendt nøgle “frist_choice”; mente du “first_choice”?",
        ),
    ],
)
def test_misspelt_section_or_key_in_the_targets_file_is_an_error(
    files: Path, capsys, edit, message
):
    _edit_toml(files, *edit)

    code = main([str(files / "applicants.csv"), "--targets", str(files / "targets.toml")])

    assert code == EXIT_INPUT
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            'attribute = "kønn"\nkind = "min_count"\nvalues = ["Kvinde"]\namount = 1',
            "[[targets]] nr. 12: ukendt egenskab “kønn”; mente du “køn”?",
        ),
        (
            'attribute = "region"\nkind = "max_share"\nvalues = ["Hovedstad"]\namount = 50',
            "[[targets]] nr. 12: region har ingen værdi “Hovedstad”; mente du “Hovedstaden”?",
        ),
    ],
)
def test_target_on_an_attribute_or_value_that_does_not_exist_is_an_error(
    files: Path, capsys, target, message
):
    path = files / "targets.toml"
    path.write_text(
        path.read_text(encoding="utf-8") + f"\n[[targets]]\n{target}\n", encoding="utf-8"
    )

    code = main([str(files / "applicants.csv"), "--targets", str(path)])

    assert code == EXIT_INPUT
    assert message in capsys.readouterr().err


def test_applicants_file_with_a_header_and_no_applicants_is_an_error(files: Path, capsys):
    path = files / "applicants.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")

    code = main([str(path), "--targets", str(files / "targets.toml")])

    assert code == EXIT_INPUT
    assert "applicants.csv: filen har en overskrift, men ingen ansøgere." in capsys.readouterr().err


def test_xlsx_cell_holding_a_formula_is_an_error(files: Path, capsys):
    path = files / "applicants.xlsx"
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    column = next(c.column_letter for c in sheet[1] if c.value == "1. prioritet")
    sheet[f"{column}3"] = '=CONCAT("Trivsel ", "i musiklivet")'
    workbook.save(path)

    code = main([str(path), "--targets", str(files / "targets.toml")])

    assert code == EXIT_INPUT
    assert (
        "applicants.xlsx, række 3, kolonne “1. prioritet”: cellen er en formel"
        in capsys.readouterr().err
    )


def test_output_lists_each_member_with_their_id(files: Path, capsys):
    main([str(files / "applicants.csv"), "--targets", str(files / "targets.toml")])

    out = capsys.readouterr().out
    member_lines = [line for line in out.splitlines() if line.startswith("  - ")]
    rows = (files / "applicants.csv").read_text(encoding="utf-8").splitlines()[1:]
    names = {row.split(";")[0]: row.split(";")[1] for row in rows}
    assert member_lines
    assert all(names[line.split()[1]] == " ".join(line.split()[2:]) for line in member_lines)


def test_output_piped_into_head_ends_quietly(files: Path):
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "handlespor.engine.cli",
            str(files / "applicants.csv"),
            "--targets",
            str(files / "targets.toml"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.readline()
    process.stdout.close()  # as `head -1` does
    stderr = process.stderr.read().decode()
    process.wait(timeout=120)

    assert "Traceback" not in stderr
    assert process.returncode == 0


def test_seats_are_set_once_for_every_track_without_their_own(files: Path):
    from handlespor.engine.files import load_instance

    path = files / "targets.toml"
    text = path.read_text(encoding="utf-8").replace("min = 8\nmax = 12\n", "")
    path.write_text("[seats]\nmin = 6\nmax = 10\n\n" + text, encoding="utf-8")

    instance = load_instance(files / "applicants.csv", path)

    assert {(t.min_seats, t.max_seats) for t in instance.tracks} == {(6, 10)}
