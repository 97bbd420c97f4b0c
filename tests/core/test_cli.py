import pytest

from gongxin import cli


@pytest.mark.parametrize("argv", [[], ["--help"], ["help"]])
def test_help_lists_the_products_commands_first_one_line_each(argv, capsys):
    cli.main(argv)
    out = capsys.readouterr().out
    ours, _sep, django_part = out.partition("Django's commands")
    for command in ("demo", "serve", "ledger", "token"):
        line = next(line for line in ours.splitlines() if line.strip().startswith(command + " "))
        assert len(line.split(None, 1)[1]) > 5, f"{command} has no one-line description"
    assert "migrate" in django_part and "migrate" not in ours
    assert "createsuperuser" in django_part
