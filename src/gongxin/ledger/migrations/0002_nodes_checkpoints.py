from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="nodes",
            field=models.BinaryField(blank=True, default=b"", verbose_name="子树哈希"),
        ),
        migrations.AddField(
            model_name="ledgerhead",
            name="frontier",
            field=models.BinaryField(blank=True, default=b""),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["leaf_hash"], name="ledger_event_leaf"),
        ),
        migrations.CreateModel(
            name="Checkpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("size", models.BigIntegerField(verbose_name="大小")),
                ("root", models.BinaryField(max_length=32, verbose_name="根哈希")),
                ("note", models.TextField(verbose_name="签名文本")),
                ("key_name", models.CharField(max_length=100, verbose_name="密钥名称")),
                ("reason", models.CharField(blank=True, max_length=200, verbose_name="原因")),
                ("signed_at", models.DateTimeField(db_index=True, verbose_name="签名时间")),
            ],
            options={
                "verbose_name": "检查点",
                "verbose_name_plural": "检查点",
                "ordering": ["id"],
                "indexes": [models.Index(fields=["size"], name="ledger_checkpoint_size")],
            },
        ),
    ]
