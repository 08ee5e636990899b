from django.db import migrations

from courses.districts import NEW_TAIPEI_DISTRICTS

TARGET_GROUPS = ["seniors", "indigenous", "new_immigrants", "everyone"]


def load(apps, schema_editor):
    District = apps.get_model("courses", "District")
    TargetGroup = apps.get_model("courses", "TargetGroup")
    for order, (slug, name, name_en, remote) in enumerate(NEW_TAIPEI_DISTRICTS):
        District.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "name_en": name_en, "is_remote": remote, "sort_order": order},
        )
    for order, code in enumerate(TARGET_GROUPS):
        TargetGroup.objects.update_or_create(code=code, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
