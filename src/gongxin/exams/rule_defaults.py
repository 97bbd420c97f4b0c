"""The exams app's rule rows (DOMAIN §3.5), loaded into every rule set that lacks them by
migration 0002. Pure data; an admin can change any of them (a new rule-set version)."""

REGULATION = "本县公开选拔、公开招录、竞争上岗实施办法（县委组织部设定，可修改）"

DEFAULT_RULES = [
    {"code": "EXM", "variant": "", "name": "考试选拔：权重、比例与同分排序",
     "parameters": {"written_weight": "0.6", "interview_weight": "0.4", "interview_ratio": 3,
                    "inspection_ratio": 1, "tie_order": ["written", "interview"], "name_order": "rank"},
     "regulation": REGULATION, "article": "",
     "source_text": "综合成绩按笔试成绩占60%、面试成绩占40%计算；按笔试成绩从高到低以1:3的比例确定面试人选，"
                    "末位同分的一并进入面试，合格人数不足比例的按实际人数确定；按综合成绩从高到低等额确定考察对象。"
                    "综合成绩相同的，按笔试成绩高低排序；仍相同的，按面试成绩排序；再相同的并列。缺考或违纪者不计算综合成绩。"},
    {"code": "EXM", "variant": "competitive_share", "name": "竞争上岗：中层岗位拿出比例",
     "parameters": {"min_share": "30%"},
     "regulation": REGULATION, "article": "",
     "source_text": "各单位每年拿出不少于30%的中层岗位实行竞争上岗。"},
    {"code": "EXM", "variant": "village", "name": "优秀村干部进入乡镇机关：任职年限与考核等次",
     "parameters": {"min_years": 3, "grade_window_years": 3, "required_grades": ["excellent", "competent"]},
     "regulation": REGULATION, "article": "",
     "source_text": "报考人员须为现任村（社区）干部，连续任职满3年，近3年年度考核均为称职以上等次。"},
]
