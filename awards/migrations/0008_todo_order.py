from django.db import migrations, models


class Migration(migrations.Migration):
    """The dossier list's "Việc cần làm" order (due date, newest first among equals) as an index (issue 18): on
    PostgreSQL the first page is read from it instead of sorting every open dossier."""

    dependencies = [
        ("awards", "0007_restructuring"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["due_on", "-id"], name="dossier_todo_order"),
        ),
    ]
