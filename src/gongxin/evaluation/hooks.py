"""What evaluation registers at start: the typed parameters of its rule row (R30/evaluation)."""

from django.utils.translation import gettext_lazy as _

from gongxin.cases import rule_schema as rs


def register() -> None:
    rs.register_schema("R30", "evaluation", {
        "flag_share": rs.Frac(_("“不认同”票所占比例的界限")),
        "flag_strict": rs.Bool(_("超过界限才需核实（不含恰好等于）")),
    })
