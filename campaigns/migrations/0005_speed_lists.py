from django.db import migrations, models


class Migration(migrations.Migration):
    """The achievement list's and the review queue's orders as indexes (issue 18): a page's keys are read in
    order from the index, not sorted from the rows."""

    dependencies = [
        ("campaigns", "0004_speed"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="achievement",
            index=models.Index(fields=["campaign", "-year", "content", "-created_at", "-id"], name="achievement_list"),
        ),
        migrations.AddIndex(
            model_name="achievement",
            index=models.Index(fields=["-status", "updated_at", "id"], name="achievement_review"),
        ),
    ]
