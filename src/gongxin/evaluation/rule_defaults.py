"""Evaluation's rule row (R30/evaluation), loaded into every rule set that lacks it by migration
0002. Pure data; an admin can change it (a new rule-set version), and a change is a ledger event."""

DEFAULT_RULES = [
    {"code": "R30", "variant": "evaluation", "name": "新提拔干部“不认同”票比例的核实界限",
     "parameters": {"flag_share": "1/3", "flag_strict": True},
     "regulation": "《地方党委常委会向全委会报告干部选拔任用工作并接受民主评议办法》《关于对新选拔任用干部进行民主评议的办法》"
                   "（中共中央组织部，2010）", "article": "",
     "source_text": "对新选拔任用干部民主评议中“不认同”票超过三分之一的，组织部门应当进行了解核实，"
                    "并视情况作出相应处理。（据公开文本整理，本县可修改界限；恰好三分之一不属“超过”。）"},
]
