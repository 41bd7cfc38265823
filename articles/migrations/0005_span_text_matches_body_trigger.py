"""On PostgreSQL, the database itself checks that an annotation's text is the body's words.

`text == body[start:end]` spans two tables, so no CHECK constraint can say it.
Deferred constraint triggers check it at commit, after re-anchoring has moved
the annotations in the same transaction as the body edit: when an annotation
is written, and when a report's body changes. Annotations flagged
`needs_attention` are exempt (their words are gone; the editor is told).
Each check re-reads the rows as they are at commit, not as they were when the
trigger was queued, so a body edited twice in one transaction is judged by
its final text. SQLite has no deferred triggers; there the model's `clean()`
and the admin's forms and endpoints do the checking.
"""

from django.db import migrations

SPAN_TABLES = ("articles_quote", "articles_mention", "articles_note")

SPAN_MISMATCH = """
    NOT s.needs_attention AND (
        s."end" > char_length(a.body)
        OR substring(a.body FROM s.start + 1 FOR s."end" - s.start) IS DISTINCT FROM s.text
    )
"""

CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION {table}_text_matches_body() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM {table} s JOIN articles_article a ON a.id = s.article_id
            WHERE s.id = NEW.id AND {SPAN_MISMATCH}
        ) THEN
            RAISE EXCEPTION '{table}_text_matches_body: row % does not cover its text in the body', NEW.id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql;
    CREATE CONSTRAINT TRIGGER {table}_text_matches_body
        AFTER INSERT OR UPDATE ON {table}
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION {table}_text_matches_body();
    """
    for table in SPAN_TABLES
] + [
    """
    CREATE OR REPLACE FUNCTION articles_article_spans_match_body() RETURNS trigger AS $$
    BEGIN
        IF """
    + " OR ".join(
        f"EXISTS (SELECT 1 FROM {table} s JOIN articles_article a ON a.id = s.article_id "
        f"WHERE a.id = NEW.id AND {SPAN_MISMATCH})"
        for table in SPAN_TABLES
    )
    + """ THEN
            RAISE EXCEPTION 'articles_article_spans_match_body: report % has annotations off their words', NEW.id
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql;
    CREATE CONSTRAINT TRIGGER articles_article_spans_match_body
        AFTER UPDATE OF body ON articles_article
        DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION articles_article_spans_match_body();
    """
]

DROP = [
    f"DROP TRIGGER IF EXISTS {table}_text_matches_body ON {table}; DROP FUNCTION IF EXISTS {table}_text_matches_body();"
    for table in SPAN_TABLES
] + [
    "DROP TRIGGER IF EXISTS articles_article_spans_match_body ON articles_article; "
    "DROP FUNCTION IF EXISTS articles_article_spans_match_body();"
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        # Without parameters, so the driver leaves PL/pgSQL's own % placeholders alone.
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_span_text_length_matches")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
