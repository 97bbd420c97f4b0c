from django.db import migrations

# 职级 code table. level: one leadership level = 10 (副科 20 → 正科 30 → 副处 40 → 正处 50).
RANKS = [
    ("zhengting", "正厅级", 70, True, True),
    ("futing", "副厅级", 60, True, False),
    ("zhengchu", "正处级", 50, True, True),
    ("fuchu", "副处级", 40, True, False),
    ("zhengke", "正科级", 30, True, True),
    ("fuke", "副科级", 20, True, False),
    ("yiji_diaoyanyuan", "一级调研员", 50, False, False),
    ("erji_diaoyanyuan", "二级调研员", 45, False, False),
    ("sanji_diaoyanyuan", "三级调研员", 40, False, False),
    ("siji_diaoyanyuan", "四级调研员", 40, False, False),
    ("yiji_zhurenkeyuan", "一级主任科员", 30, False, False),
    ("erji_zhurenkeyuan", "二级主任科员", 30, False, False),
    ("sanji_zhurenkeyuan", "三级主任科员", 20, False, False),
    ("siji_zhurenkeyuan", "四级主任科员", 20, False, False),
    ("yiji_keyuan", "一级科员", 10, False, False),
    ("erji_keyuan", "二级科员", 10, False, False),
    ("banshiyuan", "办事员", 5, False, False),
]


def seed(apps, schema_editor):
    Rank = apps.get_model("people", "Rank")
    for code, name, level, leadership, head in RANKS:
        Rank.objects.update_or_create(code=code, defaults={"name": name, "level": level,
                                                            "is_leadership": leadership, "is_head": head})


def unseed(apps, schema_editor):
    apps.get_model("people", "Rank").objects.filter(code__in=[r[0] for r in RANKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
