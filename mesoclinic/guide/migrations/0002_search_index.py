"""The guide's full-text index, in each database's own way.

PostgreSQL: a generated tsvector column with a GIN index. English rows use the 'english'
configuration (stemming); Urdu rows are already folded into space-separated tokens by
`guide.search.index_text`, so they become lexemes as they are (array_to_tsvector), which works
whatever the database's locale. Titles weigh more than text.

SQLite: an FTS5 table over the same folded columns (porter stemming for English words), kept in
step with guide_searchentry by triggers.
"""

from django.db import migrations

POSTGRESQL_FORWARDS = [
    """
    ALTER TABLE guide_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        CASE WHEN language = 'en' THEN
            setweight(to_tsvector('english'::regconfig, title_folded), 'A')
            || setweight(to_tsvector('english'::regconfig, text_folded), 'B')
        ELSE
            setweight(array_to_tsvector(string_to_array(title_folded, ' ')), 'A')
            || setweight(array_to_tsvector(string_to_array(text_folded, ' ')), 'B')
        END
    ) STORED
    """,
    "CREATE INDEX guide_searchentry_document_idx ON guide_searchentry USING GIN (document)",
]
POSTGRESQL_BACKWARDS = [
    "DROP INDEX IF EXISTS guide_searchentry_document_idx",
    "ALTER TABLE guide_searchentry DROP COLUMN IF EXISTS document",
]

SQLITE_FORWARDS = [
    """
    CREATE VIRTUAL TABLE guide_searchentry_fts USING fts5(
        title_folded, text_folded, content='guide_searchentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER guide_searchentry_fts_insert AFTER INSERT ON guide_searchentry BEGIN
        INSERT INTO guide_searchentry_fts(rowid, title_folded, text_folded)
        VALUES (new.id, new.title_folded, new.text_folded);
    END
    """,
    """
    CREATE TRIGGER guide_searchentry_fts_delete AFTER DELETE ON guide_searchentry BEGIN
        INSERT INTO guide_searchentry_fts(guide_searchentry_fts, rowid, title_folded, text_folded)
        VALUES ('delete', old.id, old.title_folded, old.text_folded);
    END
    """,
    """
    CREATE TRIGGER guide_searchentry_fts_update AFTER UPDATE ON guide_searchentry BEGIN
        INSERT INTO guide_searchentry_fts(guide_searchentry_fts, rowid, title_folded, text_folded)
        VALUES ('delete', old.id, old.title_folded, old.text_folded);
        INSERT INTO guide_searchentry_fts(rowid, title_folded, text_folded)
        VALUES (new.id, new.title_folded, new.text_folded);
    END
    """,
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS guide_searchentry_fts_insert",
    "DROP TRIGGER IF EXISTS guide_searchentry_fts_delete",
    "DROP TRIGGER IF EXISTS guide_searchentry_fts_update",
    "DROP TABLE IF EXISTS guide_searchentry_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("guide", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARDS, "sqlite": SQLITE_FORWARDS}),
            _run({"postgresql": POSTGRESQL_BACKWARDS, "sqlite": SQLITE_BACKWARDS}),
        )
    ]
