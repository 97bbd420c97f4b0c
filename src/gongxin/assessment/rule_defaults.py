"""Assessment's rule rows (DOMAIN §5 R23, R25), loaded into every rule set that lacks them by
migration 0002. Pure data; an admin can change any of them (a new rule-set version)."""

DEFAULT_RULES = [
    {"code": "R25", "variant": "accountability", "name": "问责方式与影响提拔期",
     "parameters": {"bar_months": {"criticism": 0, "written_self_review": 0, "admonishment": 6, "transfer": 12,
                                   "removal": 12, "demotion": 24, "party_warning": 12, "party_serious_warning": 18,
                                   "gov_warning": 6, "gov_demerit": 12, "gov_major_demerit": 18,
                                   "gov_demotion": 24, "gov_dismissal": 24},
                    "open_case_blocks": True},
     "regulation": "《中国共产党问责条例》《关于对党员领导干部进行诫勉的规定》《推进领导干部能上能下规定》《公职人员政务处分法》",
     "article": "",
     "source_text": "受到诫勉的，六个月内不得提拔或者重用；调整职务、免职的，一年内不得提拔；降职的，两年内不得提拔；"
                    "受到党纪政务处分的，在影响期内不得提拔（警告六个月或一年，记过十二个月，记大过十八个月，降级、撤职二十四个月）。"
                    "问责调查期间，暂缓提拔。"},
    {"code": "R23", "variant": "difficulty", "name": "艰苦边远岗位难度系数（本县设定）",
     "parameters": {"coefficients": {"township": "1.10", "village": "1.15", "department": "1.00",
                                     "institution": "1.00", "organ": "1.00"},
                    "remote_only": True, "hard_posting_years": 5},
     "regulation": "本县干部综合考核评价办法（县委组织部设定，可修改）", "article": "",
     "source_text": "对在艰苦边远地区、困难乡镇工作的干部，考核得分乘以难度系数；在艰苦边远岗位累计工作五年以上的，"
                    "在同等条件下优先使用。"},
    {"code": "R23", "variant": "public", "name": "组织考核与群众评议的权重（本县设定）",
     "parameters": {"public_weight": "0.3",
                    "option_values": {"good": "1", "fair": "0.8", "average": "0.6", "poor": "0.2"}},
     "regulation": "本县干部综合考核评价办法（县委组织部设定，可修改）", "article": "",
     "source_text": "综合得分由组织考核得分和群众评议得分加权形成，群众评议占百分之三十。群众评议按好、较好、一般、差"
                    "分别计 1、0.8、0.6、0.2 分，取平均；“不了解”不计入。"},
]
