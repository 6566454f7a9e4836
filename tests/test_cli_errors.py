"""The command line says a refused file in the same sentences as the upload form (issue 17, part 3): what is
wrong, and which file is expected, one message and a non-zero exit."""

import os
import subprocess
import sys

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"


def test_a_refused_file_is_told_as_the_upload_form_tells_it(tmp_path):
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    env = {**os.environ, "PEACEOPS_VAR_DIR": str(tmp_path / "var"), "COLUMNS": "400"}
    env.pop("PEACEOPS_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "peaceops", "import", "pledges", str(photo)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,  # a guard against a hang, not a speed check
    )
    assert result.returncode == 1
    said = " ".join(result.stderr.split())
    assert said.startswith("Error: photo.png is a PNG image, not a CSV file. Choose a CSV file")
    assert "The file expected: Member States' pledges (CSV: country, event, date, area, type, title" in said
    assert "Traceback" not in result.stderr and str(tmp_path) not in said
