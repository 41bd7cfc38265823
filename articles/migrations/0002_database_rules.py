"""What the database holds beside the models' own tables and constraints.

- The editorial groups: editors annotate (evidence included) and submit; reviewers also publish and
  withdraw; both follow background jobs.
- On PostgreSQL, an index of reports newest first (`published DESC NULLS LAST, id DESC`), which
  lists and the quote ledger walk to stop after a page; SQLite cannot index NULLS LAST.
- The search index structures, which differ by database: a GIN index over the
  tsvector on PostgreSQL (its lexeme statistics switched off, see below), an
  FTS5 table on SQLite (articles/search/index.py).
- On PostgreSQL, deferred constraint triggers that check an annotation's text
  is the body's words. `text == body[start:end]` spans two tables, so no CHECK
  constraint can say it. They check at commit, after re-anchoring has moved
  the annotations in the same transaction as the body edit: when an
  annotation is written, and when a report's body changes. Annotations flagged
  `needs_attention` are exempt (their words are gone; the editor is told).
  Each check re-reads the rows as they are at commit, so a body edited twice
  in one transaction is judged by its final text. SQLite has no deferred
  triggers; there the models' `clean()` and the actions do the checking.

Pricing PostgreSQL's built-in `ts_match_vq` is not here: it changes the
server, not this database's schema, and needs a superuser
(`manage.py tune_postgres`, docs/search.md).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECORD_MODELS = {
    "articles": ["article", "quote", "mention", "note", "evidence", "source"],
    "diplomacy": [
        "participant", "participantalias", "office", "place", "topic",
        "meeting", "participation", "agreement", "agreementparty",
    ],
}
EDITORS = [
    f"{app}.{action}_{model}"
    for app, models in RECORD_MODELS.items()
    for model in models
    for action in ("add", "change", "view")
] + [f"articles.delete_{model}" for model in ("quote", "mention", "note", "evidence")] + [
    "articles.view_draft",
    # background jobs are followed in the admin, read-only
    "articles.view_backgroundjob",
    "articles.view_backgroundjobitem",
]
REVIEWERS = EDITORS + [
    "articles.publish_article",
    "articles.delete_article",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrations run; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("editors", EDITORS), ("reviewers", REVIEWERS)):
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["editors", "reviewers"]).delete()



# -- The search index -----------------------------------------------------------------------------

FTS5 = "CREATE VIRTUAL TABLE articles_search_fts USING fts5(a, b, c, d, tokenize='ascii', detail='full')"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX search_document_vector ON articles_searchdocument USING gin (vector)")
        # No lexeme statistics: the planner then assumes any query word is rare and always reads
        # matches from the GIN index, which needs no stored vector; with statistics it seq-scans
        # for common words and decompresses every vector (seconds at 100,000 reports).
        schema_editor.execute("ALTER TABLE articles_searchdocument ALTER COLUMN vector SET STATISTICS 0")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(FTS5)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_vector")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS articles_search_fts")


# -- Reports newest first (PostgreSQL) --------------------------------------------------------------


def create_newest_first(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS article_newest_first ON articles_article (published DESC NULLS LAST, id DESC)"
        )


def drop_newest_first(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_newest_first")


# -- Annotations stay on their words (PostgreSQL) -------------------------------------------------

SPAN_TABLES = ("articles_quote", "articles_mention", "articles_note", "articles_evidence")

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
    dependencies = [
        ("articles", "0001_initial"),
        ("diplomacy", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_groups, remove_groups),
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(create_newest_first, drop_newest_first),
        migrations.RunPython(run(CREATE), run(DROP)),
    ]
