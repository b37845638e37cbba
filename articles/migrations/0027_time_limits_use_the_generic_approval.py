# Time limits move onto the generic approval (articles/models/approval.py): the row becomes the approved rule,
# a waiting edit a Draft, and each rule's approval a generic Approval record. A rule edited since its
# approval goes back to its approved text, with the edit in a draft.

import django.db.models.deletion
from django.db import migrations, models

TEXT_PARTS = ("name", "statement", "action", "period", "trigger", "source", "notes")
FIELDS = (
    "key", "order", "kind", "starts", "period_years", "period_months", "period_days", "applies_what",
    "applies_who", "minor", "death", *(f"{part}_{lang}" for part in TEXT_PARTS for lang in ("en", "es")),
    "source_url",
)  # fmt: skip


def from_snapshot(snapshot: dict) -> dict:
    years, months, days = snapshot["period"]
    values = {
        "key": snapshot["key"],
        "order": snapshot["order"],
        "kind": snapshot["kind"],
        "starts": snapshot["starts"],
        "period_years": years,
        "period_months": months,
        "period_days": days,
        "applies_what": snapshot["what"],
        "applies_who": snapshot["who"],
        "minor": snapshot["minor"],
        "death": snapshot["death"],
        "source_url": snapshot.get("source_url", ""),
    }
    for part in TEXT_PARTS:
        values[f"{part}_en"] = snapshot["text"]["en"][part]
        values[f"{part}_es"] = snapshot["text"]["es"][part]
    return values


def to_generic(apps, schema_editor):
    TimeLimitRule = apps.get_model("articles", "TimeLimitRule")
    Approval = apps.get_model("articles", "Approval")
    Draft = apps.get_model("articles", "Draft")
    Person = apps.get_model("articles", "Person")
    ContentType = apps.get_model("contenttypes", "ContentType")
    rule_type, _ = ContentType.objects.get_or_create(app_label="articles", model="timelimitrule")
    for rule in TimeLimitRule.objects.filter(approved_text__isnull=False):
        person = Person.objects.filter(user_id=rule.approved_by_id).first() if rule.approved_by_id else None
        approval = Approval.objects.create(
            content_type_id=rule_type.pk,
            object_id=rule.pk,
            approved_by=person,
            approved_by_user_id=rule.approved_by_id,
            approver_name=rule.approved_by_name or "approved at upgrade",
            approved_at=rule.approved_at,
            content_hash=rule.approved_hash,
            note=rule.approval_note,
            data=rule.approved_text,
        )
        approved = from_snapshot(rule.approved_text)
        current = {name: getattr(rule, name) for name in FIELDS}
        changes = {}
        if any(sorted(current[n]) != sorted(approved[n]) for n in ("applies_what", "applies_who")) or any(
            current[n] != approved[n] for n in FIELDS if n not in ("applies_what", "applies_who")
        ):
            Draft.objects.create(
                content_type_id=rule_type.pk, object_id=rule.pk, data=current, content_hash=rule.content_hash
            )
            # The untranslated column modeltranslation keeps beside name_en/name_es holds the English text too.
            changes = {
                **approved,
                **{part: approved[f"{part}_en"] for part in TEXT_PARTS},
                "content_hash": rule.approved_hash,
            }
        TimeLimitRule.objects.filter(pk=rule.pk).update(approved_version=approval, **changes)


class Migration(migrations.Migration):
    dependencies = [("articles", "0026_generic_approval_and_drafts")]

    operations = [
        migrations.AddField(
            model_name="timelimitrule",
            name="approved_version",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="articles.approval",
            ),
        ),
        migrations.RunPython(to_generic, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="timelimitrule", name="timelimit_approval_complete"),
        migrations.RemoveField(model_name="timelimitrule", name="approved_text"),
        migrations.RemoveField(model_name="timelimitrule", name="approved_hash"),
        migrations.RemoveField(model_name="timelimitrule", name="approved_at"),
        migrations.RemoveField(model_name="timelimitrule", name="approved_by"),
        migrations.RemoveField(model_name="timelimitrule", name="approved_by_name"),
        migrations.RemoveField(model_name="timelimitrule", name="approval_note"),
        migrations.RemoveField(model_name="historicaltimelimitrule", name="approved_by_name"),
        migrations.RemoveField(model_name="historicaltimelimitrule", name="approval_note"),
    ]
