from django.db import migrations


def add_vietnamese(apps, schema_editor):
    from surveys.defaults import default_survey_add_vietnamese

    default_survey_add_vietnamese(
        apps.get_model("surveys", "Survey"), apps.get_model("surveys", "Question")
    )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_vietnamese_texts")]

    operations = [migrations.RunPython(add_vietnamese, migrations.RunPython.noop)]
