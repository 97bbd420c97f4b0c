"""Rank notes become codes ("absent", "disqualified", "tied", "decided:written", ...) shown
through gettext; the Chinese text earlier rankings stored is turned into its code. Text this
does not know is left as it is (exams.queries.rank_note_label shows it unchanged)."""

from django.db import migrations

OLD_NOTES = {"缺考": "absent", "取消资格": "disqualified", "并列": "tied",
             "总分相同，按笔试成绩排序": "decided:written", "总分相同，按面试成绩排序": "decided:interview"}


def forwards(apps, schema_editor):
    Registration = apps.get_model("exams", "Registration")
    for text, code in OLD_NOTES.items():
        Registration.objects.filter(rank_note=text).update(rank_note=code)


def backwards(apps, schema_editor):
    Registration = apps.get_model("exams", "Registration")
    for text, code in OLD_NOTES.items():
        Registration.objects.filter(rank_note=code).update(rank_note=text)


class Migration(migrations.Migration):
    dependencies = [("exams", "0002_rule_rows")]
    operations = [migrations.RunPython(forwards, backwards)]
