"""On PostgreSQL, a trigram index on free-text answers, so that searching the comments of the
satisfaction reports (`text ILIKE '%…%'`, as Django's `icontains` writes it) finds them without
reading every answer. pg_trgm is a trusted extension: a database owner may create it. Other
databases (SQLite in development) get nothing."""

from django.db import migrations

INDEX = "answer_text_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON surveys_answer "
        "USING gin (UPPER(text) gin_trgm_ops) WHERE text <> ''"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("surveys", "0005_report_summaries")]

    operations = [migrations.RunPython(create, drop)]
