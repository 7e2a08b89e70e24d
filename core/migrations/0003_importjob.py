# Background Excel imports (core.imports): the job row of an import the worker reads and writes.

import core.fields
import core.files
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0002_document_register'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(blank=True, max_length=255, storage=core.files.private_storage, upload_to='')),
                ('original_name', core.fields.NFCCharField(blank=True, max_length=255, verbose_name='tên tệp')),
                ('content_type', models.CharField(blank=True, max_length=100)),
                ('sha256', models.CharField(blank=True, max_length=64)),
                ('size', models.PositiveBigIntegerField(default=0)),
                ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('kind', models.CharField(max_length=40)),
                ('options', models.JSONField(blank=True, default=dict)),
                ('language', models.CharField(default='vi', max_length=10)),
                ('status', models.CharField(choices=[('queued', 'Đang chờ xử lý'), ('running', 'Đang đọc và kiểm tra tệp'), ('done', 'Đã xong'), ('failed', 'Lỗi')], default='queued', max_length=10, verbose_name='trạng thái')),
                ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='tiến độ (%)')),
                ('result', models.JSONField(blank=True, null=True)),
                ('error', core.fields.NFCTextField(blank=True, verbose_name='lỗi')),
                ('task_id', models.CharField(blank=True, max_length=64)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('consumed_at', models.DateTimeField(blank=True, null=True)),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'lần nhập Excel chạy nền',
                'verbose_name_plural': 'lần nhập Excel chạy nền',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['uploaded_by', 'kind', 'status'], name='importjob_owner_kind')],
            },
        ),
    ]
