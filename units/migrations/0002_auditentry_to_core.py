# The audit trail moved to the kernel (core 0001 takes it over in the state); the table is kept as it is.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("units", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        ),
    ]
