# The form's "What is it about?" choices come from the firm's practice areas (articles.PracticeArea)
# instead of a fixed list. Existing requests keep the label they were sent with and point at the
# matching area where one exists ("medical_malpractice" -> the area with slug "medical-malpractice").

import django.db.models.deletion
from django.db import migrations, models

OLD_LABELS = {
    "medical_malpractice": "Medical malpractice",
    "personal_injury": "Personal injury (accident or fall)",
    "other": "Something else, or not sure",
}


def link_areas(apps, schema_editor):
    ConsultationRequest = apps.get_model("consultations", "ConsultationRequest")
    PracticeArea = apps.get_model("articles", "PracticeArea")
    areas = {area.slug: area for area in PracticeArea.objects.all()}
    for request in ConsultationRequest.objects.only("pk", "practice_area_code"):
        code = request.practice_area_code
        area = areas.get(code.replace("_", "-")) if code != "other" else None
        request.practice_area = area
        request.practice_area_label = area.name if area else OLD_LABELS.get(code, OLD_LABELS["other"])
        request.save(update_fields=["practice_area", "practice_area_label"])


def unlink_areas(apps, schema_editor):
    ConsultationRequest = apps.get_model("consultations", "ConsultationRequest")
    for request in ConsultationRequest.objects.select_related("practice_area"):
        slug = request.practice_area.slug.replace("-", "_") if request.practice_area else "other"
        request.practice_area_code = slug if slug in OLD_LABELS else "other"
        request.save(update_fields=["practice_area_code"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_contentstate"),
        ("consultations", "0002_intake_group"),
    ]

    operations = [
        migrations.RenameField("consultationrequest", "practice_area", "practice_area_code"),
        migrations.AlterField(
            model_name="consultationrequest",
            name="practice_area_code",
            field=models.CharField(max_length=30, default="other"),
        ),
        migrations.AddField(
            model_name="consultationrequest",
            name="practice_area",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consultation_requests",
                to="articles.practicearea",
            ),
        ),
        migrations.AddField(
            model_name="consultationrequest",
            name="practice_area_label",
            field=models.CharField(default="", editable=False, max_length=100, verbose_name="practice area (as chosen)"),
            preserve_default=False,
        ),
        migrations.RunPython(link_areas, unlink_areas),
        migrations.RemoveField(model_name="consultationrequest", name="practice_area_code"),
    ]
