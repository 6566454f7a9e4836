"""The CLI as a user runs it: a real subprocess on a temporary SQLite database (the ``run`` fixture of
tests/conftest.py); the demo has test_cli_demo.py."""


def test_import_of_a_bad_file_is_one_sentence_and_a_nonzero_exit(run, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfeD\x00a\x00t\x00e\x00")
    result = run("import", "contributions", str(bad))
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Error: bad.csv")
    assert "is not UTF-8" in result.stderr and "save the file as UTF-8" in result.stderr
    assert "Traceback" not in result.stderr
    unknown = run("import", "budgets", str(bad))
    assert unknown.returncode == 1 and "Unknown import kind 'budgets'" in unknown.stderr


def test_missing_data_directory_says_where_it_looked(run, tmp_path):
    result = run("demo", "--no-serve", extra_env={"PEACEOPS_DATA_DIR": str(tmp_path / "nowhere")})
    assert result.returncode == 1
    assert str(tmp_path / "nowhere") in result.stderr and "PEACEOPS_DATA_DIR" in result.stderr


def test_user_add_reads_the_password_from_stdin(run):
    made = run("user", "add", "leila", "--role", "analyst", stdin="a long enough password\n")
    assert made.returncode == 0, made.stderr
    assert "Created user leila (analyst)" in made.stdout
    again = run("user", "add", "leila", "--role", "analyst", stdin="a long enough password\n")
    assert again.returncode == 1 and "already exists" in again.stderr
    short = run("user", "add", "omar", "--role", "viewer", stdin="short\n")
    assert short.returncode == 1 and "at least 10 characters" in short.stderr


def test_backup_and_restore_into_a_new_instance(run, tmp_path):
    made = run("user", "add", "leila", "--role", "analyst", stdin="a long enough password\n")
    assert made.returncode == 0, made.stderr
    archive = tmp_path / "peaceops.tar.gz"
    saved = run("backup", str(archive))
    assert saved.returncode == 0, saved.stderr
    assert "Backed up the sqlite database (schema revision" in saved.stdout and archive.is_file()
    again = run("backup", str(archive))
    assert again.returncode == 1 and again.stderr.startswith("Error: ") and "already exists" in again.stderr

    elsewhere = {"PEACEOPS_VAR_DIR": str(tmp_path / "restored")}
    restored = run("restore", str(archive), extra_env=elsewhere)
    assert restored.returncode == 0, restored.stderr
    assert "Restored the sqlite database" in restored.stdout and "the schema is at revision" in restored.stdout
    taken = run("user", "add", "leila", "--role", "analyst", stdin="a long enough password\n", extra_env=elsewhere)
    assert taken.returncode == 1 and "already exists" in taken.stderr  # the restored instance has her

    refused = run("restore", str(archive), extra_env=elsewhere)
    assert refused.returncode == 1
    assert refused.stderr.startswith("Error: The target instance is not empty")
    assert "Traceback" not in refused.stderr and refused.stdout == ""
