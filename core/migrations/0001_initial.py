# The audit trail moved from `units` to the kernel; its table (units_auditentry) stays where units 0001 made it.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import core.fields


class Migration(migrations.Migration):

    initial = True

    # The user model's first migration (units 0001) is also the one that made the table; the kernel names no app.
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now,
                                                    verbose_name="thời điểm")),
                        ("action", models.CharField(max_length=60, verbose_name="hành động")),
                        ("target_type", models.CharField(max_length=60)),
                        ("target_id", models.CharField(blank=True, max_length=60)),
                        ("target_label", core.fields.NFCCharField(blank=True, max_length=255)),
                        ("note", core.fields.NFCTextField(blank=True, verbose_name="ghi chú")),
                        ("changes", models.JSONField(blank=True, default=dict)),
                        ("actor", models.ForeignKey(blank=True, null=True,
                                                    on_delete=django.db.models.deletion.SET_NULL, related_name="+",
                                                    to=settings.AUTH_USER_MODEL, verbose_name="người thực hiện")),
                    ],
                    options={
                        "verbose_name": "nhật ký thay đổi",
                        "verbose_name_plural": "nhật ký thay đổi",
                        "ordering": ["-at", "-id"],
                        "db_table": "units_auditentry",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
