from django.db import migrations


def create_default_survey(apps, schema_editor):
    from surveys.defaults import default_survey_create

    default_survey_create(apps.get_model("surveys", "Survey"), apps.get_model("surveys", "Question"))


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(create_default_survey, migrations.RunPython.noop)]
